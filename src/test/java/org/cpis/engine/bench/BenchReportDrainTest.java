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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportDrainTest {

    @Test
    void theBacklogDrainIsReportedBesideThePipelineFigure(@TempDir Path dir) throws Exception {
        BenchOptions o = new BenchOptions(true, List.of(1, 32), Duration.ofMillis(300), Duration.ofMillis(700), 0, 2,
                2_000, 10_000, 0.01, dir, dir.resolve("report.json"), null, "256m", Duration.ofSeconds(10), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(1), 1, Duration.ZERO);
        TargetResult engine = new TargetResult("engine", "measured", List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(700.0), "engine counters: every queued message finished",
                Optional.of(new BacklogDrain(32, 30_000, 25.0)), Optional.empty(), Optional.empty());
        BenchReport report = new BenchReport(o, MachineInfo.current(), TargetResult.notRun("floor", "not run"), engine,
                Instant.now(), 1.0);
        java.io.StringWriter console = new java.io.StringWriter();
        report.print(new java.io.PrintWriter(console));
        report.write(o.out());

        JsonNode d = new ObjectMapper().readTree(o.out().toFile()).at("/engine/backlogDrain");
        assertThat(d.get("afterConnections").asInt()).isEqualTo(32);
        assertThat(d.get("messages").asLong()).isEqualTo(30_000);
        assertThat(d.get("seconds").asDouble()).isEqualTo(25.0);
        assertThat(d.get("attendancesPerSecond").asDouble()).isEqualTo(1200.0);
        assertThat(console.toString())
                .contains("pipeline: 700 attendances/s")
                .contains("pipeline with intake idle: 1200 attendances/s (the 32-connection run's backlog of 30000, in 25.0 s)");
    }
}
