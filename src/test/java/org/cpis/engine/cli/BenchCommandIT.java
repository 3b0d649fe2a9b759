package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cpis-engine bench} as a user runs it: options, exit codes, report file. */
class BenchCommandIT {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CpisEngine.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void floorOnlyRunWritesTheReportAndExitsZero(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        int code = run("bench", "--floor-only", "--connections", "1,2", "--warmup", "200ms", "--jit-warmup", "0s",
                "--duration", "500ms", "--rate", "0", "--flags", "2000", "--out", report.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("floor   closed     1", "floor   closed     2", "report: ");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/floor/closedLoop")).hasSize(2);
        assertThat(json.at("/floor/openLoop").isNull()).isTrue();
        assertThat(json.at("/engine/status").asText()).isEqualTo("not run (--floor-only)");
        assertThat(json.at("/workload/flags").asInt()).isEqualTo(2000);
        // 1% of the patients are flagged, and each of them needs one of the 2,000 flags
        assertThat(json.at("/workload/patients").asInt()).isEqualTo(200_000);
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertThat(run("bench", "--connections", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--connections").contains("1..1000");
        assertThat(run("bench", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("soon");
        assertThat(run("bench", "--notify-events", "A99")).isEqualTo(2);
    }

    @Test
    void quickUsesShortWindowsAndFewerFlags() {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).parseArgs("--quick", "--connections", "4");
        var o = c.options();
        assertThat(o.quick()).isTrue();
        assertThat(o.connections()).containsExactly(4);
        assertThat(o.window().toSeconds()).isEqualTo(5);
        assertThat(o.flags()).isEqualTo(20_000);
        assertThat(o.patients()).isEqualTo(100_000);
        assertThat(o.jitWarmup()).as("quick is a smoke run: no JIT warm-up").isZero();
    }

    @Test
    void aFullRunWarmsTheJitUpFirstUnlessToldOtherwise() {
        BenchCommand full = new BenchCommand();
        new CommandLine(full).parseArgs();
        assertThat(full.options().jitWarmup()).hasSeconds(120);
        BenchCommand told = new BenchCommand();
        new CommandLine(told).parseArgs("--jit-warmup", "45s");
        assertThat(told.options().jitWarmup()).hasSeconds(45);
    }
}
