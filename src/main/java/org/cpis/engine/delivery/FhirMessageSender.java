package org.cpis.engine.delivery;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a notification Bundle to a council's {@code [base]/$process-message}.
 *
 * <p>It is delivered only on a 2xx answer carrying a response message whose MessageHeader.response.code
 * is {@code ok} (and, when the council fills it in, whose response.identifier names our MessageHeader).
 * Anything else throws: {@link RetryableDeliveryException} for connection failures, time-outs, 5xx, 429,
 * 408 and {@code transient-error}; {@link FatalDeliveryException} for other 4xx, {@code fatal-error},
 * and answers that are not a response message.
 *
 * <p>Built on the JDK's {@link HttpClient} rather than HAPI's generic client: every council needs its
 * own SSLContext (mutual TLS) and time limits, and the delivery rules need the raw status code and
 * body, which the generic client hides behind its own exception mapping. HAPI still parses the answer.
 * Thread-safe; one HttpClient is kept per distinct TLS set-up and connect time-out.
 */
public final class FhirMessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(FhirMessageSender.class);
    private static final String FHIR_JSON = "application/fhir+json";

    private final FhirContext ctx;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public FhirMessageSender(FhirContext ctx) {
        this.ctx = Objects.requireNonNull(ctx);
    }

    /** Sends a Bundle (encoded as JSON). */
    public FhirDeliveryReceipt send(FhirEndpoint endpoint, Bundle message) throws DeliveryException {
        return post(endpoint, ctx.newJsonParser().encodeResourceToString(message), headerId(message));
    }

    /** Sends the exact JSON text of a stored Bundle (what redelivery after a restart uses). */
    public FhirDeliveryReceipt send(FhirEndpoint endpoint, String bundleJson) throws DeliveryException {
        Bundle b;
        try {
            b = ctx.newJsonParser().parseResource(Bundle.class, bundleJson);
        } catch (DataFormatException e) {
            throw new FatalDeliveryException(ChannelType.FHIR, "stored notification is not a FHIR Bundle");
        }
        return post(endpoint, bundleJson, headerId(b));
    }

    private FhirDeliveryReceipt post(FhirEndpoint endpoint, String json, String headerId) throws DeliveryException {
        String target = endpoint.processMessageUri().toString();
        HttpClient client = client(endpoint);
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint.processMessageUri())
                .timeout(endpoint.requestTimeout())
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (endpoint.bearerToken() != null) {
            rb.header("Authorization", "Bearer " + endpoint.bearerToken());
        }
        long start = System.nanoTime();
        HttpResponse<String> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new RetryableDeliveryException(ChannelType.FHIR, "connect time-out to " + target, e);
        } catch (HttpTimeoutException e) {
            throw new RetryableDeliveryException(ChannelType.FHIR, "no answer within " + endpoint.requestTimeout() + " from " + target, e);
        } catch (ConnectException e) {
            throw new RetryableDeliveryException(ChannelType.FHIR, "connection refused or unreachable: " + target, e);
        } catch (IOException e) {
            // TLS handshake failures land here too: retried, and dead-lettered when they persist.
            throw new RetryableDeliveryException(ChannelType.FHIR, "I/O error talking to " + target + ": "
                    + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException(ChannelType.FHIR, "interrupted while sending to " + target, e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int status = resp.statusCode();
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableDeliveryException(ChannelType.FHIR, "HTTP " + status + " from " + target + issueCodes(resp.body()));
        }
        if (status < 200 || status > 299) {
            throw new FatalDeliveryException(ChannelType.FHIR, "HTTP " + status + " from " + target + issueCodes(resp.body()));
        }
        String responseId = checkResponse(resp.body(), headerId, target);
        LOG.debug("Delivered to {} in {} ms", target, elapsed.toMillis());
        return new FhirDeliveryReceipt(status, responseId, elapsed);
    }

    /** Checks a 2xx answer is a response message saying ok; returns the response MessageHeader's id. */
    private String checkResponse(String body, String headerId, String target) throws DeliveryException {
        IBaseResource r;
        try {
            EncodingEnum enc = body == null ? null : EncodingEnum.detectEncodingNoDefault(body);
            if (enc == null) {
                throw new FatalDeliveryException(ChannelType.FHIR, "answer from " + target + " is not FHIR JSON or XML");
            }
            r = enc.newParser(ctx).parseResource(body);
        } catch (DataFormatException e) {
            throw new FatalDeliveryException(ChannelType.FHIR, "answer from " + target + " is not a FHIR resource");
        }
        if (!(r instanceof Bundle b) || b.getType() != Bundle.BundleType.MESSAGE || !b.hasEntry()
                || !(b.getEntryFirstRep().getResource() instanceof MessageHeader h) || !h.hasResponse()) {
            throw new FatalDeliveryException(ChannelType.FHIR, "answer from " + target
                    + " is not a response message (" + r.fhirType() + ")");
        }
        MessageHeader.ResponseType code = h.getResponse().getCode();
        if (headerId != null && h.getResponse().hasIdentifier() && !headerId.equals(plainId(h.getResponse().getIdentifier()))) {
            throw new FatalDeliveryException(ChannelType.FHIR, "response from " + target + " answers another message");
        }
        if (code == MessageHeader.ResponseType.OK) {
            return messageHeaderId(h);
        }
        if (code == MessageHeader.ResponseType.TRANSIENTERROR) {
            throw new RetryableDeliveryException(ChannelType.FHIR, "council answered transient-error: " + target);
        }
        throw new FatalDeliveryException(ChannelType.FHIR, "council answered " + (code == null ? "no code" : code.toCode()) + ": " + target);
    }

    /** The OperationOutcome issue codes of an error answer: its diagnostics may quote patient data, so never those. */
    private String issueCodes(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            EncodingEnum enc = EncodingEnum.detectEncodingNoDefault(body);
            if (enc != null && enc.newParser(ctx).parseResource(body) instanceof OperationOutcome oo) {
                return " (issues: " + String.join(",", oo.getIssue().stream()
                        .map(i -> i.getSeverity() == null || i.getCode() == null ? "?" : i.getSeverity().toCode() + "/" + i.getCode().toCode())
                        .toList()) + ")";
            }
        } catch (RuntimeException e) {
            // not FHIR: say nothing about the body
        }
        return "";
    }

    private static String headerId(Bundle b) {
        if (b.hasEntry() && b.getEntryFirstRep().getResource() instanceof MessageHeader h) {
            return messageHeaderId(h);
        }
        return null;
    }

    /**
     * A MessageHeader's plain id. HAPI's parser gives entry resources their {@code urn:uuid:} fullUrl
     * as id, so both forms are reduced to the bare id that MessageHeader.response.identifier holds.
     */
    public static String messageHeaderId(MessageHeader h) {
        return h.getIdElement().isEmpty() ? null : plainId(h.getIdElement().getValue());
    }

    static String plainId(String id) {
        if (id == null) {
            return null;
        }
        if (id.startsWith("urn:uuid:")) {
            return id.substring("urn:uuid:".length());
        }
        int slash = id.lastIndexOf('/');
        String s = slash >= 0 ? id.substring(slash + 1) : id;
        int hist = id.indexOf("/_history/");
        return hist >= 0 ? plainId(id.substring(0, hist)) : s;
    }

    private HttpClient client(FhirEndpoint ep) throws DeliveryException {
        String key = ep.connectTimeout() + "|" + (ep.clientKeyStore() == null ? "" : ep.clientKeyStore().path())
                + "|" + (ep.trustStore() == null ? "" : ep.trustStore().path());
        HttpClient c = clients.get(key);
        if (c != null) {
            return c;
        }
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(ep.connectTimeout());
        if (ep.clientKeyStore() != null || ep.trustStore() != null) {
            try {
                SSLContext ssl = TlsContexts.client(ep.clientKeyStore(), ep.trustStore());
                b.sslContext(ssl);
            } catch (GeneralSecurityException | IOException e) {
                throw new FatalDeliveryException(ChannelType.FHIR, "cannot load the TLS key or trust store for "
                        + ep.base() + ": " + e.getClass().getSimpleName(), e);
            }
        }
        c = b.build();
        HttpClient prev = clients.putIfAbsent(key, c);
        return prev != null ? prev : c;
    }
}
