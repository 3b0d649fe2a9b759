package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine side of the bench against a stand-in engine in its own JVM ({@link StubEngine}):
 * launch with the documented properties, flag preload file, ACKs, notifications to the bench's
 * council receiver matched by visit, lost ones counted, RSS read from /proc.
 */
class EngineProcessTargetIT {

    static Workload workload;

    @BeforeAll
    static void workload() {
        // 20% flagged so a short run still has plenty of notifications to match
        workload = Workload.create(3_000, 5_000, 0.2, 11);
    }

    static BenchOptions options(Path dir) {
        return new BenchOptions(true, List.of(2), Duration.ofMillis(500), Duration.ofSeconds(1), 0, 1, 3_000, 5_000,
                0.2, dir, dir.resolve("report.json"), null, "128m", Duration.ofSeconds(60), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(20), 1, Duration.ZERO);
    }

    static EngineProcessTarget stub(Map<String, String> props) {
        return new EngineProcessTarget(null, List.of("-cp", System.getProperty("java.class.path"),
                StubEngine.class.getName()), "128m", Duration.ofSeconds(60), props, null);
    }

    @Test
    void everyFlaggedMessageIsMatchedToItsNotificationAndMemoryIsRead(@TempDir Path dir) throws Exception {
        BenchOptions o = options(dir);
        StringWriter console = new StringWriter();
        TargetResult engine = new BenchRunner(o, new PrintWriter(console))
                .run(stub(Map.of()).jvmOptions(List.of("-Dstub.dir={dir}")), workload, 'E');

        assertThat(engine.status()).isEqualTo("measured");
        NotificationTracker.Summary n = engine.notifications().orElseThrow();
        assertThat(n.expected()).isGreaterThanOrEqualTo(10);
        assertThat(n.delivered()).isEqualTo(n.expected());
        assertThat(n.lost()).isZero();
        assertThat(n.unexpected()).isZero();
        assertThat(n.posts()).isEqualTo(n.expected());
        assertThat(n.p50Millis()).isLessThanOrEqualTo(n.p99Millis());
        assertThat(engine.pipelineRate()).hasValueSatisfying(v -> assertThat(v).isPositive());
        ProcessMemory mem = engine.memory().orElseThrow();
        assertThat(mem.vmHwmKib()).isGreaterThanOrEqualTo(mem.vmRssKib()).isGreaterThan(10_000);
        assertThat(engine.startSeconds()).isPresent();

        Path engineDir = dir.resolve("engine");
        List<String> csv = Files.readAllLines(engineDir.resolve("flags.csv"));
        assertThat(csv).hasSize(3_001);
        String cmd = Files.readString(engineDir.resolve("engine.cmd"));
        assertThat(cmd).contains("-Xmx128m", "-Dstub.dir=" + engineDir, "-Dcpis.data.dir=" + engineDir.resolve("data"), "-Dcpis.mllp.host=127.0.0.1",
                "-D" + EngineProcessTarget.PRELOAD_KEY + "=", "-D" + EngineProcessTarget.COUNCIL_ENDPOINT_KEY + "=http://127.0.0.1:");
        // The engine runs with two malloc arenas unless the bench's own environment says otherwise.
        String arenas = System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2");
        assertThat(Files.readString(engineDir.resolve("malloc-arena-max"))).isEqualTo(arenas);
        assertThat(cmd).startsWith("MALLOC_ARENA_MAX=" + arenas + " ");
        // ... and with the parallel collector, as recommended for a 2-core deployment.
        assertThat(cmd).contains(" " + EngineProcessTarget.DEFAULT_GC + " ");
        assertThat(Files.readString(engineDir.resolve("collectors")).split(",")).containsExactlyInAnyOrder("PS Scavenge", "PS MarkSweep");

        // The report now has an engine column: ratio against a floor run of the same shape.
        TargetResult floor = new BenchRunner(o, new PrintWriter(console)).run(new FloorTarget(), workload, 'F');
        BenchReport report = new BenchReport(o, MachineInfo.current(), floor, engine, Instant.now(), 1);
        report.write(o.out());
        JsonNode json = new ObjectMapper().readTree(o.out().toFile());
        assertThat(json.get("ratioConnections").asInt()).isEqualTo(2);
        assertThat(json.get("ratio").asDouble()).isPositive();
        assertThat(json.get("lostNotifications").asLong()).isZero();
        assertThat(json.at("/engine/rss/vmHwmMiB").asDouble()).isPositive();
        assertThat(json.at("/engine/notifications/expected").asLong()).isEqualTo(n.expected());
        assertThat(json.at("/targets/lostNotifications/met").asBoolean()).isTrue();
    }

    @Test
    void aCollectorNamedInTheEngineOptionsReplacesTheDefault() {
        // Two collector flags and the JVM refuses to start, so the default gives way.
        assertThat(EngineProcessTarget.namesCollector(List.of("-XX:+UseG1GC"))).isTrue();
        assertThat(EngineProcessTarget.namesCollector(List.of("-Xlog:gc*:file=gc.log", "-XX:+UseShenandoahGC"))).isTrue();
        assertThat(EngineProcessTarget.namesCollector(List.of("-Xlog:gc*:file=gc.log", "-XX:+UseStringDeduplication"))).isFalse();
        assertThat(EngineProcessTarget.namesCollector(List.of())).isFalse();
    }

    @Test
    void notificationsThatNeverArriveAreCountedLost(@TempDir Path dir) throws Exception {
        BenchOptions o = new BenchOptions(true, List.of(2), Duration.ofMillis(500), Duration.ofSeconds(1), 0, 1,
                3_000, 5_000, 0.2, dir, dir.resolve("report.json"), null, "128m", Duration.ofSeconds(60), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(3), 1, Duration.ZERO);
        TargetResult engine = new BenchRunner(o, new PrintWriter(new StringWriter()))
                .run(stub(Map.of("stub.drop-every", "3")), workload, 'E');

        NotificationTracker.Summary n = engine.notifications().orElseThrow();
        assertThat(n.expected()).isGreaterThanOrEqualTo(10);
        // the stub skips every third flagged message's notification
        assertThat(n.lost()).isEqualTo(n.expected() / 3);
        assertThat(n.delivered()).isEqualTo(n.expected() - n.expected() / 3);
    }

    @Test
    void anEngineThatExitsWhileStartingIsReportedNotMeasured(@TempDir Path dir) throws Exception {
        // The real `run` command with a configuration fault it reports at once (a pool size that is no number).
        EngineProcessTarget target = new EngineProcessTarget(null, List.of("-cp", System.getProperty("java.class.path"),
                "org.cpis.engine.cli.CpisEngine", "run"), "128m", Duration.ofSeconds(60),
                Map.of("cpis.db.pool-size", "many"), null);
        TargetResult r = new BenchRunner(options(dir), new PrintWriter(new StringWriter())).run(target, workload, 'E');

        assertThat(r.measured()).isFalse();
        assertThat(r.status()).startsWith("not measured: engine exited with code 1 while starting; see ")
                .endsWith("engine.log");
        assertThat(r.closedLoop()).isEmpty();
    }
}
