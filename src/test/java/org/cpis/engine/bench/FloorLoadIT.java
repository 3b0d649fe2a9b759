package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against the real floor (Camel netty + HAPI) over loopback sockets. */
class FloorLoadIT {

    static Workload workload;
    static FloorTarget floor;

    @BeforeAll
    static void startFloor(@TempDir Path dir) throws Exception {
        workload = Workload.create(2_000, 10_000, 0.01, 42);
        floor = new FloorTarget();
        floor.start(new BenchContext(dir, workload, null));
    }

    @AfterAll
    static void stopFloor() {
        floor.close();
    }

    @Test
    void closedLoopEveryAckIsAaForItsOwnMessage() throws Exception {
        LoadDriver driver = new LoadDriver("127.0.0.1", floor.mllpPort(), Duration.ofSeconds(5));
        AtomicLong accepted = new AtomicLong();
        RunResult r = driver.closedLoop(workload, "T", 4, Duration.ofMillis(300), Duration.ofSeconds(1),
                (m, t) -> accepted.incrementAndGet());

        assertThat(r.mode()).isEqualTo("closed");
        assertThat(r.errors()).isZero();
        assertThat(r.messages()).isGreaterThan(50);
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.messages());
        // every message of the run (warm-up too) was ACKed AA with its own MSA-2
        assertThat(accepted.get()).isEqualTo(r.sent()).isEqualTo(r.accepted()).isGreaterThan(r.messages());
        assertThat(r.p50Millis()).isPositive().isLessThanOrEqualTo(r.p99Millis());
        assertThat(r.p99Millis()).isLessThanOrEqualTo(r.p999Millis());
        assertThat(r.throughput()).isEqualTo(r.messages() / r.windowSeconds());
    }

    @Test
    void openLoopOffersTheRateAndMeasuresFromTheDueTime() throws Exception {
        LoadDriver driver = new LoadDriver("127.0.0.1", floor.mllpPort(), Duration.ofSeconds(5));
        RunResult r = driver.openLoop(workload, "O", 2, 100, Duration.ofMillis(200), Duration.ofSeconds(1),
                AckListener.none());

        assertThat(r.mode()).isEqualTo("open");
        assertThat(r.errors()).isZero();
        // 100/s for one second: exactly the messages due inside the window
        assertThat(r.messages()).isBetween(99L, 101L);
        assertThat(r.sent()).isBetween(119L, 121L);
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.messages());
    }

    @Test
    void aMessageTheFloorCannotParseIsAnErrorNotAnAccept() throws Exception {
        try (MllpClient c = new MllpClient("127.0.0.1", floor.mllpPort(), 5_000)) {
            String ack = c.send(Mllp.frame("NOT HL7"));
            assertThat(AckCheck.check(ack, "X")).isEqualTo(AckCheck.Outcome.NOT_ACCEPTED);
        }
    }

    @Test
    void benchRunOnTheFloorWritesTheReportShape(@TempDir Path dir) throws Exception {
        BenchOptions o = new BenchOptions(true, List.of(1, 2), Duration.ofMillis(300), Duration.ofMillis(700), 50, 2,
                2_000, 10_000, 0.01, dir, dir.resolve("report.json"), null, "256m", Duration.ofSeconds(10), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(1), 1, Duration.ZERO);
        java.io.StringWriter console = new java.io.StringWriter();
        BenchRunner runner = new BenchRunner(o, new java.io.PrintWriter(console));
        TargetResult f = runner.run(new FloorTarget(), workload, 'F');
        TargetResult e = TargetResult.notRun("engine", "pending integration");
        BenchReport report = new BenchReport(o, MachineInfo.current(), f, e, Instant.now(), 3.0);
        report.print(new java.io.PrintWriter(console));
        report.write(o.out());

        assertThat(f.measured()).isTrue();
        assertThat(f.closedLoop()).extracting(RunResult::connections).containsExactly(1, 2);
        assertThat(f.notifications()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(o.out().toFile());
        assertThat(json.get("ratio").isNull()).isTrue();
        assertThat(json.get("lostNotifications").isNull()).isTrue();
        assertThat(json.get("ackErrors").asLong()).isZero();
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.at("/machine/jvm").asText()).contains(System.getProperty("java.runtime.version"));
        assertThat(json.at("/workload/flagsNote").asText()).contains("150000");
        assertThat(json.at("/workload/eventMixPercent/A04").asInt()).isEqualTo(60);
        JsonNode runs = json.at("/floor/closedLoop");
        assertThat(runs).hasSize(2);
        for (JsonNode run : runs) {
            assertThat(run.get("messages").asLong()).isPositive();
            assertThat(run.get("ackThroughput").asDouble()).isPositive();
            assertThat(run.get("p50Ms").asDouble()).isLessThanOrEqualTo(run.get("p99Ms").asDouble());
            assertThat(run.get("p99Ms").asDouble()).isLessThanOrEqualTo(run.get("p999Ms").asDouble());
            assertThat(run.get("errors").asLong()).isZero();
        }
        assertThat(json.at("/floor/openLoop/offeredRate").asDouble()).isEqualTo(50);
        assertThat(json.at("/engine/status").asText()).isEqualTo("pending integration");
        assertThat(json.at("/targets/ackThroughputRatio/met").isNull()).isTrue();
        assertThat(console.toString()).contains("floor   closed").contains("engine  pending integration");
        assertThat(Optional.ofNullable(json.get("floor").get("rss"))).isEmpty();
    }

    @Test
    void theJitWarmUpRunsFirstAtTheLargestConnectionCountAndIsNotMeasured(@TempDir Path dir) throws Exception {
        BenchOptions o = new BenchOptions(true, List.of(2, 1), Duration.ofMillis(200), Duration.ofMillis(500), 0, 1,
                2_000, 10_000, 0.01, dir, dir.resolve("report.json"), null, "256m", Duration.ofSeconds(10), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
        java.io.StringWriter console = new java.io.StringWriter();
        long before = System.nanoTime();
        TargetResult f = new BenchRunner(o, new java.io.PrintWriter(console)).run(new FloorTarget(), workload, 'F');

        assertThat(console.toString()).contains("floor: 1s JIT warm-up at 2 connection(s), not measured");
        assertThat(f.closedLoop()).extracting(RunResult::connections).containsExactly(2, 1);
        assertThat(f.closedLoop().get(0).startNanos() - before).as("the first measured run starts after the warm-up")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        new BenchReport(o, MachineInfo.current(), f, TargetResult.notRun("engine", "not run"), Instant.now(), 1.0)
                .write(o.out());
        assertThat(new ObjectMapper().readTree(o.out().toFile()).at("/workload/jitWarmupSeconds").asDouble())
                .isEqualTo(1.0);
    }
}
