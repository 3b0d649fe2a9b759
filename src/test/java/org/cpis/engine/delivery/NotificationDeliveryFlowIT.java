package org.cpis.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.cpis.engine.db.Database;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.notify.CouncilDirectory;
import org.cpis.engine.notify.NotificationEvent;
import org.cpis.engine.notify.NotificationFixtures;
import org.cpis.engine.notify.NotificationService;
import org.cpis.engine.notify.SharedValidator;
import org.cpis.engine.notify.receiver.CouncilReceiverServlet;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NotificationService + DeliveryService with real parts: H2, the reference receiver over HTTP, and
 * GreenMail behind STARTTLS. Shows: once per notification id, fallback, both channels, a receiver that
 * is down then back (delivered exactly once), and a fatal answer going to dead-letter.
 */
class NotificationDeliveryFlowIT {
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final char[] PW = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Database db;
    private static HttpServer http;
    private static ReceivedMessages received;
    private static GreenMail greenMail;
    private static StartTlsFront front;
    private static int closedPort;
    private static final AtomicReference<CouncilDirectory> DIRECTORY = new AtomicReference<>();
    private static NotificationService notifications;
    private static DeliveryService deliveries;
    private static DeliveryRecords records;

    @BeforeAll
    static void start() throws Exception {
        db = Database.open("jdbc:h2:mem:flow-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "", "", 4);
        received = new ReceivedMessages(CTX, null);
        http = new HttpServer("127.0.0.1", 0, 16);
        http.mount("/council-receiver/fhir/*", new CouncilReceiverServlet(SharedValidator.get(), received, null, "http://x/council-receiver/fhir"));
        http.mount("/gone/fhir/*", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(410);
            }
        });
        http.start();
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        greenMail.setUser("engine@cpis.example", "engine", "smtp-pass");
        TestPki.Identity serverId = TestPki.identity("CN=localhost");
        Path ks = dir.resolve("smtp.p12");
        Path ts = dir.resolve("smtp-trust.p12");
        TestPki.writePkcs12(ks, serverId, PW);
        TestPki.writeTrustStore(ts, PW, serverId.certificate());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsContexts.load(new KeyStoreRef(ks, PW, "PKCS12")), PW);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        front = new StartTlsFront(tls, greenMail.getSmtp().getPort());

        DIRECTORY.set(directory("council-receiver"));
        records = new DeliveryRecords(db.dataSource());
        notifications = new NotificationService(NotificationFixtures.builder(), DIRECTORY.get(), records, CTX,
                NotificationFixtures.CLOCK);
        EmailSender email = new EmailSender(new SmtpSettings("localhost", front.port(), "engine", "smtp-pass",
                "engine@cpis.example", Duration.ofSeconds(5), Duration.ofSeconds(10), new KeyStoreRef(ts, PW, "PKCS12")), CTX);
        deliveries = new DeliveryService(records, DIRECTORY::get, new FhirMessageSender(CTX), email);
    }

    /** TSTC1 at {@code tstc1Path} on the test server (or a closed port), TSTC2 with both channels, fallback. */
    private static CouncilDirectory directory(String tstc1Path) {
        String tstc1 = "closed".equals(tstc1Path) ? "http://127.0.0.1:" + closedPort + "/fhir"
                : "http://127.0.0.1:${port}/" + tstc1Path + "/fhir";
        String yaml = """
                councils:
                  TSTC1:
                    name: Testshire County Council
                    channels:
                      fhir: { endpoint: "%s", request-timeout: 20s }
                  TSTC2:
                    name: Exampleton City Council
                    channels:
                      fhir: { endpoint: "http://127.0.0.1:${port}/council-receiver/fhir" }
                      email: { address: cs@exampleton.example }
                fallback:
                  name: Fallback
                  channels:
                    fhir: { endpoint: "http://127.0.0.1:${port}/council-receiver/fhir" }
                """.formatted(tstc1);
        return CouncilDirectory.parse(yaml, "test", dir, Map.of("port", String.valueOf(http.port()))::get);
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        greenMail.stop();
        http.close();
        db.close();
    }

    @Test
    void plansOnceAndDeliversOnce() throws Exception {
        String id = "flow-" + UUID.randomUUID();
        var planned = notifications.plan(id, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1());
        assertThat(planned.created()).isTrue();
        assertThat(planned.fallbackUsed()).isFalse();
        assertThat(planned.channels()).containsExactly(ChannelType.FHIR);
        assertThat(notifications.plan(id, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1()).created()).isFalse();

        assertThat(deliveries.attempt(id, ChannelType.FHIR, null)).isEqualTo(DeliveryService.Outcome.DELIVERED);
        assertThat(deliveries.attempt(id, ChannelType.FHIR, null)).isEqualTo(DeliveryService.Outcome.ALREADY_DELIVERED);
        assertThat(received.deliveries(id)).isEqualTo(1);
        DeliveryRecord rec = records.find(id, ChannelType.FHIR).orElseThrow();
        assertThat(rec.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(rec.attempts()).isEqualTo(1);
    }

    @Test
    void aCouncilMissingFromTheDirectoryGoesToTheFallback() throws Exception {
        String id = "flow-" + UUID.randomUUID();
        var planned = notifications.plan(id, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.flag("f9", NotificationFixtures.CPP, "Child Protection Plan", "9990000042", "TSTC9", "2026-02-01"),
                NotificationFixtures.council("TSTC9", "Nowhere Borough Council"));
        assertThat(planned.fallbackUsed()).isTrue();
        assertThat(planned.councilOds()).isEqualTo("TSTC9");
        assertThat(records.findNotification(id).orElseThrow().fallbackUsed()).isTrue();
        assertThat(deliveries.attempt(id, ChannelType.FHIR, null)).isEqualTo(DeliveryService.Outcome.DELIVERED);
        assertThat(received.deliveries(id)).isEqualTo(1);
    }

    @Test
    void aCouncilWithBothChannelsGetsBoth() throws Exception {
        String id = "flow-" + UUID.randomUUID();
        var planned = notifications.plan(id, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.lookedAfterChild(),
                NotificationFixtures.lacFlag(), NotificationFixtures.tstc2());
        assertThat(planned.channels()).containsExactly(ChannelType.FHIR, ChannelType.EMAIL);
        deliveries.attempt(id, ChannelType.FHIR, null);
        deliveries.attempt(id, ChannelType.EMAIL, null);
        assertThat(received.deliveries(id)).isEqualTo(1);
        assertThat(greenMail.getReceivedMessages()).anyMatch(m -> {
            try {
                return m.getSubject().equals("[secure] Child attendance notification " + id);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(records.forNotification(id)).allMatch(r -> r.status() == DeliveryStatus.DELIVERED);
    }

    @Test
    void receiverDownThenBackIsDeliveredExactlyOnceAndAFatalAnswerIsDeadLettered() throws Exception {
        String id = "flow-" + UUID.randomUUID();
        notifications.plan(id, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1());
        CouncilDirectory live = DIRECTORY.get();
        try {
            DIRECTORY.set(directory("closed"));
            Instant next = Instant.parse("2026-11-25T10:20:00Z");
            assertThatThrownBy(() -> deliveries.attempt(id, ChannelType.FHIR, next)).isInstanceOf(RetryableDeliveryException.class);
            assertThatThrownBy(() -> deliveries.attempt(id, ChannelType.FHIR, next)).isInstanceOf(RetryableDeliveryException.class);
            DeliveryRecord failed = records.find(id, ChannelType.FHIR).orElseThrow();
            assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.nextAttemptAt().toInstant()).isEqualTo(next);
            assertThat(failed.lastError()).contains("connection refused").doesNotContain("9434765919");
        } finally {
            DIRECTORY.set(live);
        }
        assertThat(deliveries.attempt(id, ChannelType.FHIR, null)).isEqualTo(DeliveryService.Outcome.DELIVERED);
        assertThat(received.deliveries(id)).isEqualTo(1);
        assertThat(records.find(id, ChannelType.FHIR).orElseThrow().attempts()).isEqualTo(3);

        String gone = "flow-" + UUID.randomUUID();
        notifications.plan(gone, NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1());
        try {
            DIRECTORY.set(directory("gone"));
            assertThatThrownBy(() -> deliveries.attempt(gone, ChannelType.FHIR, null)).isInstanceOf(FatalDeliveryException.class);
            assertThat(deliveries.attempt(gone, ChannelType.FHIR, null)).isEqualTo(DeliveryService.Outcome.ALREADY_DEAD_LETTER);
        } finally {
            DIRECTORY.set(live);
        }
        DeliveryRecord dl = records.find(gone, ChannelType.FHIR).orElseThrow();
        assertThat(dl.status()).isEqualTo(DeliveryStatus.DEAD_LETTER);
        assertThat(dl.lastError()).contains("HTTP 410");
    }
}
