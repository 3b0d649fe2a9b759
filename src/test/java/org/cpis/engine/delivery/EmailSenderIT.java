package org.cpis.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.cpis.engine.notify.NotificationFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmailSender through GreenMail behind a real STARTTLS front (see StartTlsFront). */
class EmailSenderIT {
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final char[] PW = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static GreenMail greenMail;
    private static StartTlsFront front;
    private static KeyStoreRef trust;
    private static TestPki.Identity councilId;

    @BeforeAll
    static void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        greenMail.setUser("engine@cpis.example", "engine", "smtp-pass");

        TestPki.Identity serverId = TestPki.identity("CN=localhost");
        Path serverKs = dir.resolve("smtp-server.p12");
        TestPki.writePkcs12(serverKs, serverId, PW);
        Path trustFile = dir.resolve("smtp-trust.p12");
        TestPki.writeTrustStore(trustFile, PW, serverId.certificate());
        trust = new KeyStoreRef(trustFile, PW, "PKCS12");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsContexts.load(new KeyStoreRef(serverKs, PW, "PKCS12")), PW);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        front = new StartTlsFront(tls, greenMail.getSmtp().getPort());

        councilId = TestPki.identity("CN=Exampleton City Council, O=TSTC2");
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        greenMail.stop();
    }

    private static SmtpSettings settings(int port, String user, String password) {
        return new SmtpSettings("localhost", port, user, password, "engine@cpis.example",
                Duration.ofSeconds(5), Duration.ofSeconds(10), trust);
    }

    @Test
    void sendsOverStartTlsWithASubjectFreeOfPatientData() throws Exception {
        int sessions = front.tlsSessions();
        Bundle msg = NotificationFixtures.allMessages().get(0);
        EmailSender sender = new EmailSender(settings(front.port(), "engine", "smtp-pass"), CTX);
        EmailRecipient to = new EmailRecipient("cs@testshire.example", "[secure]", null);
        sender.send(to, msg);

        MimeMessage got = awaitMessageTo("cs@testshire.example");
        assertThat(front.tlsSessions()).isEqualTo(sessions + 1);
        assertThat(got.getSubject()).isEqualTo("[secure] Child attendance notification n-arrival-1");
        assertThat(got.getSubject()).doesNotContain("9434765919").doesNotContain("SMITH").doesNotContain("2019");
        Multipart mp = (Multipart) got.getContent();
        String body = (String) mp.getBodyPart(0).getContent();
        assertThat(body).contains("Notification id: n-arrival-1").contains("NHS number: 9434765919")
                .contains("Name: Jamie Lee SMITH").contains("Date of birth: 2019-03-14")
                .contains("Child Protection Plan (SNOMED CT 342191000000101)")
                .contains("Care setting: Test General Hospital ED").contains("Site ODS code: RX1CC")
                .contains("Trust ODS code: RX1").contains("Visit number: V000123").contains("Testshire County Council");
        assertThat(mp.getBodyPart(1).getFileName()).isEqualTo("notification.json");
        Bundle attached = CTX.newJsonParser().parseResource(Bundle.class, mp.getBodyPart(1).getInputStream());
        assertThat(attached.getIdentifier().getValue()).isEqualTo("n-arrival-1");
    }

    @Test
    void encryptsWithSmimeSoOnlyTheCouncilsKeyReadsIt() throws Exception {
        Path cert = dir.resolve("tstc2.pem");
        TestPki.writePem(cert, councilId.certificate());
        Bundle msg = NotificationFixtures.allMessages().get(3);
        EmailSender sender = new EmailSender(settings(front.port(), "engine", "smtp-pass"), CTX);
        sender.send(new EmailRecipient("cs@exampleton.example", "[SECURE]", cert), CTX.newJsonParser().encodeResourceToString(msg));

        MimeMessage got = awaitMessageTo("cs@exampleton.example");
        assertThat(got.getSubject()).isEqualTo("[SECURE] Child attendance notification n-unborn-1");
        assertThat(got.getContentType()).contains("application/pkcs7-mime");
        String raw = new String(got.getRawInputStream().readAllBytes());
        assertThat(raw).doesNotContain("9449305552").doesNotContain("JONES");

        SMIMEEnveloped env = new SMIMEEnveloped(got);
        Collection<RecipientInformation> recipients = env.getRecipientInfos().getRecipients();
        assertThat(recipients).hasSize(1);
        byte[] clear = recipients.iterator().next().getContent(new JceKeyTransEnvelopedRecipient(councilId.keyPair().getPrivate()));
        MimeBodyPart inner = SMIMEUtil.toMimeBodyPart(clear);
        Multipart mp = (Multipart) inner.getContent();
        assertThat((String) mp.getBodyPart(0).getContent()).contains("NHS number: 9449305552")
                .contains("Unborn child subject to Child Protection Plan");
        assertThat(((Part) mp.getBodyPart(1)).getFileName()).isEqualTo("notification.json");
    }

    @Test
    void aServerWithoutStartTlsIsNeverSentTo() {
        int before = greenMail.getReceivedMessages().length;
        // GreenMail's own SMTP port offers no STARTTLS: the sender must refuse to go on in clear.
        EmailSender sender = new EmailSender(settings(greenMail.getSmtp().getPort(), "engine", "smtp-pass"), CTX);
        assertThatThrownBy(() -> sender.send(new EmailRecipient("cs@testshire.example", "[secure]", null),
                NotificationFixtures.allMessages().get(0)))
                .isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("STARTTLS")
                .hasMessageNotContaining("9434765919");
        assertThat(greenMail.getReceivedMessages()).hasSize(before);
    }

    @Test
    void wrongPasswordIsFatalAndNoServerIsRetryable() throws Exception {
        EmailRecipient to = new EmailRecipient("cs@testshire.example", "[secure]", null);
        Bundle msg = NotificationFixtures.allMessages().get(0);
        assertThatThrownBy(() -> new EmailSender(settings(front.port(), "engine", "wrong"), CTX).send(to, msg))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("authentication refused");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = closed;
        assertThatThrownBy(() -> new EmailSender(settings(port, "engine", "smtp-pass"), CTX).send(to, msg))
                .isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void aMissingCertificateIsFatal() {
        EmailRecipient to = new EmailRecipient("cs@testshire.example", "[secure]", dir.resolve("missing.pem"));
        assertThatThrownBy(() -> new EmailSender(settings(front.port(), "engine", "smtp-pass"), CTX)
                .send(to, NotificationFixtures.allMessages().get(0)))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("S/MIME");
    }

    private static MimeMessage awaitMessageTo(String address) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(address) != null);
        return find(address);
    }

    private static MimeMessage find(String address) throws Exception {
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(address)) {
                return m;
            }
        }
        return null;
    }
}
