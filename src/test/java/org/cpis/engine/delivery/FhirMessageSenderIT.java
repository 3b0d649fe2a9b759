package org.cpis.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.notify.NotificationFixtures;
import org.cpis.engine.notify.SharedValidator;
import org.cpis.engine.notify.receiver.CouncilReceiverServlet;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FhirMessageSender against the real reference receiver on the engine's HttpServer (and a TLS Jetty). */
class FhirMessageSenderIT {
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final String TOKEN = "test-token-7f3a";
    private static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);

    private static HttpServer http;
    private static ReceivedMessages open;
    private static ReceivedMessages secured;
    private static String base;
    private final FhirMessageSender sender = new FhirMessageSender(CTX);

    @BeforeAll
    static void start() throws Exception {
        open = new ReceivedMessages(CTX, null);
        secured = new ReceivedMessages(CTX, null);
        http = new HttpServer("127.0.0.1", 0, 16);
        http.mount("/council-receiver/fhir/*", new CouncilReceiverServlet(SharedValidator.get(), open, null, "http://127.0.0.1/council-receiver/fhir"));
        http.mount("/secure/fhir/*", new CouncilReceiverServlet(SharedValidator.get(), secured, TOKEN, "http://127.0.0.1/secure/fhir"));
        http.mount("/status503/fhir/*", status(503, "application/fhir+json",
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"transient\",\"diagnostics\":\"9434765919 busy\"}]}"));
        http.mount("/status429/fhir/*", status(429, "text/plain", "slow down"));
        http.mount("/status404/fhir/*", status(404, "text/plain", "no such endpoint"));
        http.mount("/garbage/fhir/*", status(200, "text/html", "<html>hello</html>"));
        http.mount("/not-a-response/fhir/*", status(200, "application/fhir+json",
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\",\"code\":\"informational\"}]}"));
        http.mount("/slow/fhir/*", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                try {
                    RELEASE_SLOW.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                resp.setStatus(503);
            }
        });
        http.start();
        base = "http://127.0.0.1:" + http.port();
    }

    @AfterAll
    static void stop() throws Exception {
        RELEASE_SLOW.countDown();
        http.close();
    }

    @Test
    void deliversAndTheReceiverKeepsAndListsTheMessage() throws Exception {
        Bundle msg = NotificationFixtures.allMessages().get(0);
        int before = open.size();
        FhirDeliveryReceipt receipt = sender.send(FhirEndpoint.of(base + "/council-receiver/fhir"), msg);
        assertThat(receipt.httpStatus()).isEqualTo(200);
        assertThat(receipt.responseMessageId()).isNotBlank();
        assertThat(open.size()).isEqualTo(before + 1);
        assertThat(open.deliveries("n-arrival-1")).isGreaterThanOrEqualTo(1);

        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/council-receiver/fhir/Bundle?identifier=n-arrival-1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        Bundle searchset = CTX.newJsonParser().parseResource(Bundle.class, list.body());
        assertThat(searchset.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(searchset.getEntry()).isNotEmpty();
        Bundle kept = (Bundle) searchset.getEntryFirstRep().getResource();
        assertThat(kept.getIdentifier().getValue()).isEqualTo("n-arrival-1");
        assertThat(kept.getEntryFirstRep().getResource()).isInstanceOf(MessageHeader.class);
    }

    @Test
    void aRedeliveryIsKeptAndTaggedAsDuplicate() throws Exception {
        Bundle msg = NotificationFixtures.allMessages().get(3);
        FhirEndpoint ep = FhirEndpoint.of(base + "/council-receiver/fhir");
        sender.send(ep, msg);
        sender.send(ep, CTX.newJsonParser().encodeResourceToString(msg));
        var copies = open.all().stream().filter(r -> "n-unborn-1".equals(r.notificationId())).toList();
        assertThat(copies).hasSize(2);
        assertThat(copies.get(0).duplicate()).isFalse();
        assertThat(copies.get(1).duplicate()).isTrue();
        assertThat(copies.get(1).bundle().getMeta().getTag()).anyMatch(t -> t.getCode().equals("duplicate"));
    }

    @Test
    void anInvalidMessageIsFatalAndCarriesNoPatientData() {
        Bundle msg = NotificationFixtures.allMessages().get(1);
        msg.getEntry().remove(4);
        int before = open.size();
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/council-receiver/fhir"), msg))
                .isInstanceOf(FatalDeliveryException.class)
                .hasMessageContaining("HTTP 422")
                .hasMessageNotContaining("9434765919").hasMessageNotContaining("SMITH");
        assertThat(open.size()).isEqualTo(before);
    }

    @Test
    void serverErrorsAndThrottlingAreRetryable() {
        Bundle msg = NotificationFixtures.allMessages().get(0);
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/status503/fhir"), msg))
                .isInstanceOf(RetryableDeliveryException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("error/transient")
                .hasMessageNotContaining("9434765919");
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/status429/fhir"), msg))
                .isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("HTTP 429");
    }

    @Test
    void otherClientErrorsAndMalformedAnswersAreFatal() {
        Bundle msg = NotificationFixtures.allMessages().get(0);
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/status404/fhir"), msg))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/garbage/fhir"), msg))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("not a FHIR");
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/not-a-response/fhir"), msg))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("not a response message");
    }

    @Test
    void connectionRefusedAndTimeOutsAreRetryable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Bundle msg = NotificationFixtures.allMessages().get(0);
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of("http://127.0.0.1:" + closedPort + "/fhir"), msg))
                .isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("connection refused");
        FhirEndpoint slow = new FhirEndpoint(URI.create(base + "/slow/fhir"), null, null, null,
                Duration.ofSeconds(2), Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> sender.send(slow, msg))
                .isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("no answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void bearerTokenIsSentAndChecked() throws Exception {
        Bundle msg = NotificationFixtures.allMessages().get(4);
        assertThatThrownBy(() -> sender.send(FhirEndpoint.of(base + "/secure/fhir"), msg))
                .isInstanceOf(FatalDeliveryException.class).hasMessageContaining("HTTP 401");
        FhirEndpoint wrong = new FhirEndpoint(URI.create(base + "/secure/fhir"), "wrong", null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThatThrownBy(() -> sender.send(wrong, msg)).isInstanceOf(FatalDeliveryException.class);
        assertThat(secured.size()).isZero();
        FhirEndpoint right = new FhirEndpoint(URI.create(base + "/secure/fhir"), TOKEN, null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(sender.send(right, msg).httpStatus()).isEqualTo(200);
        assertThat(secured.size()).isEqualTo(1);
    }

    @Test
    void mutualTlsDeliversWithTheClientCertificateOnly(@TempDir Path dir) throws Exception {
        char[] pw = "changeit".toCharArray();
        TestPki.Identity serverId = TestPki.identity("CN=localhost");
        TestPki.Identity clientId = TestPki.identity("CN=cpis-engine test client");
        TestPki.Identity stranger = TestPki.identity("CN=someone else");
        Path serverKs = dir.resolve("server.p12");
        Path serverTrust = dir.resolve("server-trust.p12");
        Path clientKs = dir.resolve("client.p12");
        Path clientTrust = dir.resolve("client-trust.p12");
        Path strangerKs = dir.resolve("stranger.p12");
        TestPki.writePkcs12(serverKs, serverId, pw);
        TestPki.writeTrustStore(serverTrust, pw, clientId.certificate());
        TestPki.writePkcs12(clientKs, clientId, pw);
        TestPki.writeTrustStore(clientTrust, pw, serverId.certificate());
        TestPki.writePkcs12(strangerKs, stranger, pw);

        ReceivedMessages tlsStore = new ReceivedMessages(CTX, null);
        Server server = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(serverKs.toString());
        ssl.setKeyStorePassword("changeit");
        ssl.setKeyStoreType("PKCS12");
        ssl.setTrustStorePath(serverTrust.toString());
        ssl.setTrustStorePassword("changeit");
        ssl.setTrustStoreType("PKCS12");
        ssl.setNeedClientAuth(true);
        HttpConfiguration hc = new HttpConfiguration();
        hc.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(hc));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.addServlet(new ServletHolder(new CouncilReceiverServlet(SharedValidator.get(), tlsStore, null, "https://localhost/fhir")), "/fhir/*");
        server.setHandler(ctx);
        server.start();
        try {
            URI tlsBase = URI.create("https://localhost:" + connector.getLocalPort() + "/fhir");
            KeyStoreRef trust = new KeyStoreRef(clientTrust, pw, "PKCS12");
            FhirEndpoint good = new FhirEndpoint(tlsBase, null, new KeyStoreRef(clientKs, pw, "PKCS12"), trust,
                    Duration.ofSeconds(5), Duration.ofSeconds(20));
            Bundle msg = NotificationFixtures.allMessages().get(0);
            assertThat(sender.send(good, msg).httpStatus()).isEqualTo(200);
            assertThat(tlsStore.size()).isEqualTo(1);

            FhirEndpoint noCert = new FhirEndpoint(tlsBase, null, null, trust, Duration.ofSeconds(5), Duration.ofSeconds(20));
            assertThatThrownBy(() -> sender.send(noCert, msg)).isInstanceOf(RetryableDeliveryException.class);
            FhirEndpoint wrongCert = new FhirEndpoint(tlsBase, null, new KeyStoreRef(strangerKs, pw, "PKCS12"), trust,
                    Duration.ofSeconds(5), Duration.ofSeconds(20));
            assertThatThrownBy(() -> sender.send(wrongCert, msg)).isInstanceOf(RetryableDeliveryException.class);
            assertThat(tlsStore.size()).isEqualTo(1);
        } finally {
            server.stop();
        }
    }

    @Test
    void receiverAnswersBadInputWithAnOperationOutcome() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create(base + "/council-receiver/fhir/$process-message");
        for (String body : new String[] {"{\"resourceType\":\"Patient\"}", "this is not FHIR",
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}"}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(body).isBetween(400, 499);
            assertThat(CTX.newJsonParser().parseResource(r.body()))
                    .as(body).isInstanceOf(org.hl7.fhir.r4.model.OperationOutcome.class);
        }
    }

    private static HttpServlet status(int code, String type, String body) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setStatus(code);
                resp.setContentType(type);
                resp.getWriter().write(body);
            }
        };
    }
}
