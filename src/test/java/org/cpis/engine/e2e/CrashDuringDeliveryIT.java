package org.cpis.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine (a separate JVM) is SIGKILLed while a council receiver holds its notification POST open,
 * then restarted on the same data folder: the notification is delivered, never zero times and at most
 * once more per kill, and the council can tell the duplicate by its stable Bundle.identifier.
 */
class CrashDuringDeliveryIT {
    private static final Duration START_WITHIN = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    private final int mllpPort = EngineFixture.freePort();
    private final int httpPort = EngineFixture.freePort();
    private final List<Process> processes = new ArrayList<>();
    private CouncilEndpoint council;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (council != null) {
            council.close();
        }
    }

    @Test
    void notificationHeldOpenWhenTheEngineIsKilledIsDeliveredAfterRestartAtMostOnceMore() throws Exception {
        council = new CouncilEndpoint(null).holdingFirstPost().start();
        Path tokens = Files.writeString(dir.resolve("tokens.properties"), E2e.ADMIN_TOKEN + "=admin\n");
        Path directory = Files.writeString(dir.resolve("councils.yaml"), """
                councils:
                  TSTC1:
                    name: Testshire County Council
                    channels:
                      fhir:
                        endpoint: %1$s
                        request-timeout: 60s
                fallback:
                  name: CP-IS operator fallback
                  channels:
                    fhir:
                      endpoint: %1$s
                """.formatted(council.baseUrl()));
        Path data = dir.resolve("data");

        Process first = startEngine(data, tokens, directory, "engine-1.log");
        String nhs = "9434765919";
        E2e.createFlag(E2e.adminClient("http://127.0.0.1:" + httpPort + "/fhir"), "TSTC1", nhs, FhirIds.CODE_CPP,
                LocalDate.now().minusDays(200), null, null);
        String controlId = Hl7.controlId("CRASH");
        try (var c = org.cpis.engine.mllp.MllpClient.connect("127.0.0.1", mllpPort, null, 30_000)) {
            Ack ack = c.send(Hl7.bytes(E2e.adt("A04", controlId, nhs, "VCRASH1", "NSTS01")));
            assertThat(ack.code()).isEqualTo("AA");
        }
        assertThat(council.awaitFirstPost(60)).as("the engine POSTed the notification").isTrue();
        String nid = (String) query(data, "SELECT notification_id FROM notification WHERE attendance_control_id = ?", controlId).get(0);

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        // The council now finishes the request it held: it may keep the message though the engine never hears back.
        council.releaseFirst();

        // Restart straight after the kill: the engine must wait for H2 to take over the dead JVM's lock file.
        startEngine(data, tokens, directory, "engine-2.log");
        // What was committed before the kill is still there (H2 used to lose the last 500 ms of commits).
        assertThat(query(data, "SELECT COUNT(*) FROM notification WHERE notification_id = ?", nid)).containsExactly(1L);
        assertThat(query(data, "SELECT COUNT(*) FROM notification_decision WHERE notification_id = ?", nid)).containsExactly(1L);
        assertThat(query(data, "SELECT COUNT(*) FROM delivery WHERE notification_id = ?", nid)).containsExactly(1L);
        assertThat(query(data, "SELECT status FROM received_message WHERE control_id = ?", controlId)).containsExactly("processed");
        await().atMost(Duration.ofSeconds(60)).until(() -> "delivered".equals(
                query(data, "SELECT status FROM delivery WHERE notification_id = ?", nid).get(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> council.deliveries(nid) >= 1);
        // No further attempt after the delivered answer: never more than one extra delivery for one kill.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> council.deliveries(nid) <= 2);
        assertThat(council.received()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.notificationId()).isEqualTo(nid);
            assertThat(E2e.validationErrors(r.bundle())).isEmpty();
        });
        assertThat(council.received().stream().filter(ReceivedMessages.Received::duplicate).count())
                .isEqualTo(council.deliveries(nid) - 1L);
        assertThat(query(data, "SELECT COUNT(*) FROM notification WHERE attendance_control_id = ?", controlId))
                .containsExactly(1L);
    }

    private Process startEngine(Path data, Path tokens, Path directory, String logName) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "-Dcpis.data.dir=" + data,
                "-Dcpis.db.url=" + EngineFixture.sharedH2Url(data),
                "-Dcpis.mllp.host=127.0.0.1",
                "-Dcpis.mllp.port=" + mllpPort,
                "-Dcpis.http.host=127.0.0.1",
                "-Dcpis.http.port=" + httpPort,
                "-Dcpis.routes.dir=" + EngineFixture.ROUTES,
                "-Dcpis.mappings.dir=" + Path.of("mappings").toAbsolutePath(),
                "-Dcpis.mappings.hot-reload=false",
                "-Dcpis.security.tokens-file=" + tokens,
                "-Dcpis.notify.councils-file=" + directory,
                "-Dcpis.lookup.cache=none",
                "-Dcpis.broker.redelivery-delay=200ms",
                "-Dcpis.delivery.retry.initial-delay=200ms",
                "-Dcpis.delivery.retry.max-delay=1s",
                "org.cpis.engine.cli.CpisEngine", "run");
        pb.redirectErrorStream(true);
        Path log = dir.resolve(logName);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        processes.add(p);
        await().atMost(START_WITHIN).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("engine JVM exited", () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("engine JVM exited with " + p.exitValue() + ":\n" + Files.readString(log));
                    }
                })
                .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return p;
    }

    private static List<Object> query(Path data, String sql, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(EngineFixture.sharedH2Url(data))) {
            return EngineFixture.queryColumn(c, sql, args);
        }
    }
}
