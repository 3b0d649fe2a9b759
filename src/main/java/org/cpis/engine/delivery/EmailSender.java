package org.cpis.engine.delivery;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMEException;
import org.cpis.engine.notify.NotificationText;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a notification by secure email: SMTP submission with STARTTLS required and authentication,
 * subject {@code <tag> Child attendance notification <id>} (no patient data), a plain-text body with
 * the notification's details and the FHIR message attached, optionally S/MIME-encrypted (AES-256-CBC,
 * RSA key transport) to the council's certificate.
 *
 * <p>Failures throw {@link RetryableDeliveryException} (no connection, time-out, STARTTLS not offered,
 * SMTP 4xx) or {@link FatalDeliveryException} (SMTP 5xx, authentication refused, unusable certificate).
 * Thread-safe.
 */
public final class EmailSender {
    private static final Logger LOG = LoggerFactory.getLogger(EmailSender.class);
    public static final String SUBJECT_TEXT = "Child attendance notification";

    private final SmtpSettings smtp;
    private final FhirContext ctx;
    private final Session session;

    public EmailSender(SmtpSettings smtp, FhirContext ctx) {
        this.smtp = Objects.requireNonNull(smtp);
        this.ctx = Objects.requireNonNull(ctx);
        this.session = session(smtp);
    }

    private static Session session(SmtpSettings s) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", s.host());
        p.put("mail.smtp.port", String.valueOf(s.port()));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.put("mail.smtp.connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(s.timeout().toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(s.timeout().toMillis()));
        p.put("mail.smtp.from", s.from());
        boolean auth = s.username() != null && !s.username().isEmpty();
        p.put("mail.smtp.auth", String.valueOf(auth));
        if (s.trustStore() != null) {
            try {
                p.put("mail.smtp.ssl.socketFactory", TlsContexts.client(null, s.trustStore()).getSocketFactory());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot load cpis.smtp.truststore " + s.trustStore().path(), e);
            }
        }
        Authenticator a = auth ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(s.username(), s.password());
            }
        } : null;
        return Session.getInstance(p, a);
    }

    /** The subject for a notification: tag, fixed text and the notification id; never patient data. */
    public static String subject(EmailRecipient to, String notificationId) {
        String tag = to.subjectTag() == null || to.subjectTag().isBlank() ? "" : to.subjectTag().trim() + " ";
        return tag + SUBJECT_TEXT + " " + notificationId;
    }

    public void send(EmailRecipient to, Bundle message) throws DeliveryException {
        send(to, message, ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(message));
    }

    /** Sends a stored notification (its exact JSON is attached). */
    public void send(EmailRecipient to, String bundleJson) throws DeliveryException {
        Bundle b;
        try {
            b = ctx.newJsonParser().parseResource(Bundle.class, bundleJson);
        } catch (DataFormatException e) {
            throw new FatalDeliveryException(ChannelType.EMAIL, "stored notification is not a FHIR Bundle");
        }
        send(to, b, bundleJson);
    }

    private void send(EmailRecipient to, Bundle message, String json) throws DeliveryException {
        String id = NotificationText.notificationId(message);
        MimeMessage mail;
        try {
            mail = compose(to, message, json, id);
        } catch (MessagingException | IOException e) {
            throw new FatalDeliveryException(ChannelType.EMAIL, "cannot compose the email for notification " + id
                    + ": " + e.getClass().getSimpleName(), e);
        }
        try {
            Transport.send(mail);
            LOG.debug("Emailed notification {} via {}:{}", id, smtp.host(), smtp.port());
        } catch (MessagingException e) {
            throw classify(e, id);
        }
    }

    private MimeMessage compose(EmailRecipient to, Bundle message, String json, String id) throws MessagingException, IOException,
            DeliveryException {
        MimeBodyPart text = new MimeBodyPart();
        text.setText(NotificationText.render(message), "UTF-8", "plain");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(json.getBytes(StandardCharsets.UTF_8),
                "application/fhir+json; charset=UTF-8")));
        attachment.setFileName("notification.json");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(attachment);

        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(smtp.from()));
        mail.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to.address()));
        mail.setSubject(subject(to, id), "UTF-8");
        mail.setSentDate(new Date());
        if (to.smimeCertificate() == null) {
            mail.setContent(mixed);
        } else {
            MimeBodyPart inner = new MimeBodyPart();
            inner.setContent(mixed);
            MimeBodyPart encrypted = encrypt(inner, to);
            mail.setContent(encrypted.getContent(), encrypted.getContentType());
        }
        mail.saveChanges();
        return mail;
    }

    private static MimeBodyPart encrypt(MimeBodyPart part, EmailRecipient to) throws DeliveryException {
        try (InputStream in = Files.newInputStream(to.smimeCertificate())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            cert.checkValidity();
            SMIMEEnvelopedGenerator gen = new SMIMEEnvelopedGenerator();
            gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(cert));
            return gen.generate(part, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
        } catch (IOException | GeneralSecurityException | CMSException | SMIMEException e) {
            throw new FatalDeliveryException(ChannelType.EMAIL, "cannot encrypt to the S/MIME certificate "
                    + to.smimeCertificate() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Sorts a mail failure; only codes and kinds reach the message, never the server's free text. */
    private DeliveryException classify(MessagingException e, String id) {
        String where = " sending notification " + id + " via " + smtp.host() + ":" + smtp.port();
        if (e instanceof AuthenticationFailedException) {
            return new FatalDeliveryException(ChannelType.EMAIL, "SMTP authentication refused" + where, e);
        }
        int code = smtpCode(e);
        if (code >= 500) {
            return new FatalDeliveryException(ChannelType.EMAIL, "SMTP " + code + where, e);
        }
        if (code >= 400) {
            return new RetryableDeliveryException(ChannelType.EMAIL, "SMTP " + code + where, e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("STARTTLS")) {
            // Possibly a stripping attack or a misconfigured server: never fall back to clear text.
            return new RetryableDeliveryException(ChannelType.EMAIL, "server does not offer STARTTLS" + where, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new RetryableDeliveryException(ChannelType.EMAIL, "connection refused" + where, e);
            }
            if (t instanceof SocketTimeoutException) {
                return new RetryableDeliveryException(ChannelType.EMAIL, "time-out" + where, e);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return new RetryableDeliveryException(ChannelType.EMAIL, "TLS failure (" + t.getClass().getSimpleName() + ")" + where, e);
            }
        }
        return new RetryableDeliveryException(ChannelType.EMAIL, "mail error (" + e.getClass().getSimpleName() + ")" + where, e);
    }

    private static int smtpCode(Throwable e) {
        for (Throwable t = e; t != null; ) {
            if (t instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            Throwable next = t instanceof MessagingException me && me.getNextException() != null ? me.getNextException() : t.getCause();
            if (next == t) {
                break;
            }
            t = next;
        }
        return -1;
    }
}
