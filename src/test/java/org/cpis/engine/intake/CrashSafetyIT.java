package org.cpis.engine.intake;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the engine runs as a separate JVM, ACKs messages, and is killed with SIGKILL.
 * After a restart on the same data folder every ACKed message is processed exactly once.
 */
class CrashSafetyIT {
    static final Duration START_WITHIN = Duration.ofSeconds(90);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;
    final int mllpPort = EngineFixture.freePort();
    final int httpPort = EngineFixture.freePort();
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    Process startEngine(boolean pipeline, String logName) throws IOException {
        return startEngine(pipeline, logName, EngineFixture.sharedH2Url(dataDir));
    }

    /**
     * @param url   the engine's database URL; null for its default (the test reads it only once the engine has stopped)
     * @param extra further {@code -D} options for the engine JVM
     */
    Process startEngine(boolean pipeline, String logName, String url, String... extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and serial GC: the engine JVM starts faster, which is most of this test's time.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "-Dcpis.data.dir=" + dataDir,
                "-Dcpis.db.url=" + (url == null ? "" : url),
                "-Dcpis.mllp.host=127.0.0.1",
                "-Dcpis.mllp.port=" + mllpPort,
                "-Dcpis.http.host=127.0.0.1",
                "-Dcpis.http.port=" + httpPort,
                "-Dcpis.routes.dir=" + EngineFixture.ROUTES,
                "-Dcpis.pipeline.enabled=" + pipeline));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("org.cpis.engine.cli.CpisEngine", "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dataDir.resolve(logName).toFile());
        Process p = pb.start();
        processes.add(p);
        Path log = dataDir.resolve(logName);
        await().atMost(START_WITHIN).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("engine JVM exited", () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("engine JVM exited with " + p.exitValue() + ":\n" + Files.readString(log));
                    }
                })
                .until(() -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        });
        return p;
    }

    List<String> sendAll(int n, String prefix) throws IOException {
        List<String> acked = new ArrayList<>();
        try (MllpClient c = MllpClient.connect("127.0.0.1", mllpPort, null, 30_000)) {
            for (int i = 0; i < n; i++) {
                String id = Hl7.controlId(prefix);
                Ack ack = c.send(Hl7.bytes(Hl7.adt("2.4", "A04", id)));
                assertThat(ack.code()).isEqualTo("AA");
                assertThat(ack.controlId()).isEqualTo(id);
                acked.add(id);
            }
        }
        return acked;
    }

    /** Eight senders at once outpace the stages, so a backlog is left behind the last ACK. */
    List<String> sendInParallel(int senders, int each, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String p = prefix + i;
                sent.add(pool.submit(() -> sendAll(each, p)));
            }
            List<String> acked = new ArrayList<>();
            for (Future<List<String>> f : sent) {
                acked.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return acked;
        } finally {
            pool.shutdownNow();
        }
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    }

    long query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(EngineFixture.sharedH2Url(dataDir))) {
            List<Object> v = EngineFixture.queryColumn(c, sql);
            return ((Number) v.get(0)).longValue();
        }
    }

    void assertEachProcessedExactlyOnce(List<String> acked) throws Exception {
        try (Connection c = DriverManager.getConnection(EngineFixture.sharedH2Url(dataDir))) {
            List<Object> ids = EngineFixture.queryColumn(c, "SELECT control_id FROM received_message");
            assertThat(ids).hasSize(acked.size());
            assertThat(ids).containsExactlyInAnyOrderElementsOf(acked);
            assertThat(EngineFixture.queryColumn(c, "SELECT DISTINCT status FROM received_message"))
                    .containsExactly("processed");
        }
    }

    /**
     * Four engine JVMs on one data folder (JVM start-up is the slow part, so the cases share them):
     * killed before processing, killed while processing, stopped gracefully while processing, then
     * a clean run.
     */
    @Test
    void ackedMessagesSurviveSigkillAndGracefulStopBeforeAndWhileProcessing() throws Exception {
        // 1. Intake only: 50 messages ACKed and left in the queue, then SIGKILL.
        Process intakeOnly = startEngine(false, "engine-1.log");
        List<String> acked = new ArrayList<>(sendAll(50, "CR"));
        kill(intakeOnly);
        assertThat(query("SELECT COUNT(*) FROM received_message")).as("nothing processed yet").isZero();

        // 2. With the pipeline: it takes the 50 from the queue while 150 more arrive; SIGKILL straight
        //    after the last ACK, while the processing stage runs right behind intake.
        Process processing = startEngine(true, "engine-2.log");
        acked.addAll(sendAll(150, "CP"));
        kill(processing);
        System.out.printf("killed while processing: of %d ACKed messages, %d processed and %d in the processing"
                + " stage at the kill%n", acked.size(),
                query("SELECT COUNT(*) FROM received_message WHERE status IN ('processed', 'filtered', 'dead-letter')"),
                query("SELECT COUNT(*) FROM received_message WHERE status = 'processing'"));

        // 3. A graceful stop (SIGTERM) straight after the last ACK, while the stages work through the
        //    backlog: they finish what they hold before the database closes, so the stop logs no error.
        //    One routine consumer committing every message alone keeps the stages behind eight senders,
        //    as in a burst; with the default batches they can keep up, and there would be no backlog.
        Process stopped = startEngine(true, "engine-3.log", null, "-Dcpis.pipeline.consumers=1",
                "-Dcpis.pipeline.batch-size=1");
        acked.addAll(sendInParallel(8, 60, "CG"));
        stopped.destroy();
        assertThat(stopped.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();
        long finishedAtStop = query("SELECT COUNT(*) FROM received_message WHERE status IN ('processed', 'filtered', 'dead-letter')");
        System.out.printf("stopped gracefully: of %d ACKed messages, %d processed at the stop%n", acked.size(), finishedAtStop);
        assertThat(finishedAtStop).as("a backlog was left at the stop (else the stop proved nothing)").isLessThan(acked.size());
        assertThat(Files.readAllLines(dataDir.resolve("engine-3.log")))
                .as("errors while stopping under load").noneMatch(l -> l.contains(" ERROR ")
                        || l.contains("already closed") || l.contains("listener failed"));

        // 4. After restart every ACKed message is processed exactly once.
        Process clean = startEngine(true, "engine-4.log");
        await().atMost(Duration.ofSeconds(60))
                .failFast("a message is stuck in the processing stage", () -> assertThat(
                        query("SELECT COUNT(*) FROM received_message WHERE status = 'processing'"
                                + " AND received_at < CURRENT_TIMESTAMP - INTERVAL '20' SECOND")).isZero())
                .until(() -> query("SELECT COUNT(*) FROM received_message WHERE status IN ('processed', 'filtered', 'dead-letter')") == acked.size());
        clean.destroy();
        assertThat(clean.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();
        assertEachProcessedExactlyOnce(acked);
    }
}
