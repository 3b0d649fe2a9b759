package org.cpis.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cpis.engine.bench.AdtEvent;
import org.cpis.engine.bench.BenchOptions;
import org.cpis.engine.bench.BenchReport;
import org.cpis.engine.bench.BenchRunner;
import org.cpis.engine.bench.EngineProcessTarget;
import org.cpis.engine.bench.FloorTarget;
import org.cpis.engine.bench.MachineInfo;
import org.cpis.engine.bench.TargetResult;
import org.cpis.engine.bench.Workload;
import org.cpis.engine.config.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: drives the same ADT workload over MLLP against the raw floor and against the
 * engine (launched as its own JVM), and reports throughput, latency, notifications and memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the engine beside a raw MLLP floor on this machine.",
            "Writes a table to the console and a JSON report (see docs/performance.md)."})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Short windows and 20,000 flags: whole run under 3 minutes.")
    boolean quick;

    @Option(names = "--connections", split = ",", paramLabel = "C",
            description = "Closed-loop connection counts (default: 1,8,32).")
    List<Integer> connections;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Measurement window per run (default: 30s; --quick 5s).")
    Duration window;

    @Option(names = "--warmup", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Unmeasured warm-up before each window (default: 10s; --quick 2s).")
    Duration warmup;

    @Option(names = "--jit-warmup", converter = DurationConverter.class, paramLabel = "TIME",
            description = {"Unmeasured load at the largest connection count before the first window, so that the "
                + "windows measure compiled code, not the JIT compiler at work (default: 120s; --quick 0s)."})
    Duration jitWarmup;

    @Option(names = "--rate", paramLabel = "MSG_PER_S",
            description = "Offered rate of the open-loop run (default: 500; 0 skips it).")
    Double rate;

    @Option(names = "--open-connections", paramLabel = "C",
            description = "Connections sharing the offered rate (default: 8).")
    Integer openConnections;

    @Option(names = "--flags", paramLabel = "N", description = "Flags to preload (default: 150000; --quick 20000).")
    Integer flags;

    @Option(names = "--out", paramLabel = "FILE", description = "JSON report (default: target/bench/report.json).")
    Path out;

    @Option(names = "--engine-jar", paramLabel = "JAR", description = "Engine fat jar (default: target/cpis-engine.jar).")
    Path engineJar;

    @Option(names = "--engine-heap", paramLabel = "SIZE", description = "-Xmx of the engine JVM (default: 352m).")
    String engineHeap;

    @Option(names = "--engine-prop", paramLabel = "KEY=VALUE",
            description = "Extra -D property for the engine JVM (repeatable).")
    Map<String, String> engineProps = new LinkedHashMap<>();

    @Option(names = "--notify-events", split = ",", paramLabel = "EVENT",
            description = "Events that notify for a flagged patient (default: A04,A08,A03,A01).")
    Set<AdtEvent> notifyEvents;

    @Option(names = "--engine-jfr",
            description = "Record a JFR profile of the engine to target/bench/engine/engine.jfr (written when it stops).")
    boolean engineJfr;

    @Option(names = "--engine-jvm-option", paramLabel = "OPTION",
            description = "Extra JVM option for the engine, e.g. a profiler agent; {dir} stands for the engine's work folder (repeatable).")
    List<String> engineJvmOptions = new ArrayList<>();

    @Option(names = "--floor-only", description = "Measure the floor only (no engine).")
    boolean floorOnly;

    private List<String> engineJvmOptions() {
        List<String> all = new ArrayList<>();
        if (engineJfr) {
            all.add(EngineProcessTarget.flightRecording());
        }
        all.addAll(engineJvmOptions);
        return all;
    }

    @Override
    public Integer call() throws Exception {
        BenchOptions o = options();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        MachineInfo machine = MachineInfo.current();
        BenchRunner runner = new BenchRunner(o, out);
        out.printf("Generating workload: %d flags, %d patients, %.1f%% flagged%n", o.flags(), o.patients(),
                o.flaggedFraction() * 100);
        out.flush();
        Workload workload = runner.workload();

        TargetResult floor = runner.run(new FloorTarget(), workload, 'F');
        TargetResult engine = floorOnly
                ? TargetResult.notRun("engine", "not run (--floor-only)")
                : runner.run(new EngineProcessTarget(o.engineJar(), o.engineHeap(), o.engineStartTimeout(),
                        o.engineProperties(), null)
                        .jvmOptions(engineJvmOptions()),
                        workload, 'E');

        BenchReport report = new BenchReport(o, machine, floor, engine, started,
                (System.nanoTime() - t0) / 1e9);
        report.print(out);
        report.write(o.out());
        out.printf("report: %s%n", o.out().toAbsolutePath());
        out.flush();

        if (!floor.measured()) {
            err.println("cpis-engine: bench: floor " + floor.status());
            return 1;
        }
        if (!floorOnly && !engine.measured()) {
            err.println("cpis-engine: bench: engine " + engine.status());
            return 1;
        }
        if (report.ackErrors() > 0) {
            err.println("cpis-engine: bench: " + report.ackErrors() + " message(s) were not ACKed AA (see report)");
            return 1;
        }
        if (report.lostNotifications().orElse(0L) > 0) {
            err.println("cpis-engine: bench: " + report.lostNotifications().get() + " notification(s) lost");
            return 1;
        }
        return 0;
    }

    BenchOptions options() {
        BenchOptions d = quick ? BenchOptions.quickRun() : BenchOptions.full();
        List<Integer> conns = connections != null ? connections : d.connections();
        if (conns.isEmpty() || conns.size() > BenchRunner.MAX_CONNECTION_COUNTS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--connections: give 1 to " + BenchRunner.MAX_CONNECTION_COUNTS + " counts, got " + conns.size());
        }
        for (int c : conns) {
            if (c < 1 || c > 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--connections: each count must be 1..1000, got " + c);
            }
        }
        int flagCount = flags != null ? flags : d.flags();
        int patients = d.patients();
        if (flagCount < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--flags must be at least 1");
        }
        // 1% of the patients are flagged; the flagged ones must all have a flag to match.
        if (Math.round(patients * d.flaggedFraction()) > flagCount) {
            patients = (int) (flagCount / d.flaggedFraction());
        }
        if (rate != null && rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be 0 or more");
        }
        return new BenchOptions(quick, List.copyOf(conns), warmup != null ? warmup : d.warmup(),
                window != null ? window : d.window(), rate != null ? rate : d.openRate(),
                openConnections != null ? openConnections : d.openConnections(), flagCount, patients,
                d.flaggedFraction(), d.workDir(), out != null ? out : d.out(),
                engineJar != null ? engineJar : d.engineJar(), engineHeap != null ? engineHeap : d.engineHeap(),
                d.engineStartTimeout(), Map.copyOf(engineProps),
                notifyEvents != null ? EnumSet.copyOf(notifyEvents) : d.notifyingEvents(), d.notificationWait(),
                d.seed(), jitWarmup != null ? jitWarmup : d.jitWarmup());
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 5m} like the engine's properties. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
