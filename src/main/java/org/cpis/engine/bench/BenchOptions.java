package org.cpis.engine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a bench run is told.
 *
 * @param quick            short windows and fewer flags (CI smoke run, under 3 minutes)
 * @param connections      closed-loop connection counts, in order (1, 8, 32)
 * @param warmup           unmeasured warm-up before each window
 * @param window           measurement window per run
 * @param openRate         offered rate of the open-loop run, messages/s (0 = no open-loop run)
 * @param openConnections  connections that share the offered rate
 * @param flags            flags preloaded into the flag store
 * @param patients         patients the messages are about
 * @param flaggedFraction  share of patients with a flag
 * @param workDir          folder for the engine's data and logs (target/bench)
 * @param out              report file
 * @param engineJar        the fat jar to launch; null runs the floor only
 * @param engineHeap       -Xmx of the engine JVM
 * @param engineStartTimeout how long the engine may take to open its MLLP port (flag preload included)
 * @param engineProperties extra -D keys for the engine
 * @param notifyingEvents  events that should notify for a flagged patient
 * @param notificationWait how long to wait, after the load, for notifications still on their way
 * @param jitWarmup        unmeasured load at the largest connection count before the first window, so that
 *                         the windows measure the JIT's compiled code rather than the compiler at work
 */
public record BenchOptions(boolean quick, List<Integer> connections, Duration warmup, Duration window, double openRate,
                           int openConnections, int flags, int patients, double flaggedFraction, Path workDir, Path out,
                           Path engineJar, String engineHeap, Duration engineStartTimeout,
                           Map<String, String> engineProperties, Set<AdtEvent> notifyingEvents,
                           Duration notificationWait, long seed, Duration jitWarmup) {

    public static final int FULL_FLAGS = 150_000;
    public static final int QUICK_FLAGS = 20_000;
    /**
     * The engine's JIT compiler used 20-30% of its CPU for the first minute at 32 connections, and
     * under 3% after 140 s (docs/performance.md, session 16): a hospital's engine runs for weeks.
     */
    public static final Duration FULL_JIT_WARMUP = Duration.ofSeconds(120);

    /** Defaults of a full run: about 5 minutes on the floor and 9 on the engine (its start and backlog waits included). */
    public static BenchOptions full() {
        return new BenchOptions(false, List.of(1, 8, 32), Duration.ofSeconds(10), Duration.ofSeconds(30), 500, 8,
                FULL_FLAGS, 200_000, 0.01, Path.of("target/bench"), Path.of("target/bench/report.json"),
                Path.of("target/cpis-engine.jar"), "352m", Duration.ofMinutes(10), Map.of(),
                Set.of(AdtEvent.values()), Duration.ofSeconds(60), 20261125L, FULL_JIT_WARMUP);
    }

    /** Defaults of {@code --quick}: short windows and 20,000 flags, under 3 minutes in all. */
    public static BenchOptions quickRun() {
        BenchOptions f = full();
        return new BenchOptions(true, f.connections, Duration.ofSeconds(2), Duration.ofSeconds(5), f.openRate,
                f.openConnections, QUICK_FLAGS, 100_000, f.flaggedFraction, f.workDir, f.out, f.engineJar,
                f.engineHeap, Duration.ofSeconds(150), f.engineProperties, f.notifyingEvents, Duration.ofSeconds(15),
                f.seed, Duration.ZERO);
    }
}
