package org.cpis.engine.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Runs the same workload against each target in turn: closed loop at each connection count, then
 * the open-loop run; for a notifying target it also waits for the notifications and matches them.
 */
public final class BenchRunner {

    /** Messages sent once after start, before any run: the first parses load classes and JIT. */
    static final int PRIME_MESSAGES = 50;

    private final BenchOptions options;
    private final PrintWriter progress;

    public BenchRunner(BenchOptions options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
    }

    public Workload workload() {
        return Workload.create(options.flags(), options.patients(), options.flaggedFraction(), options.seed());
    }

    /** Closed-loop runs are tagged A, B, C...; Y is the priming, Z the open-loop run. */
    public static final int MAX_CONNECTION_COUNTS = 20;

    /**
     * @param tagLetter one capital, different for each target of a run: keeps visit numbers and MSH-10
     *                  unique across every run a target sees
     */
    public TargetResult run(BenchTarget target, Workload workload, char tagLetter) throws InterruptedException {
        if (options.connections().size() > MAX_CONNECTION_COUNTS) {
            throw new IllegalArgumentException("at most " + MAX_CONNECTION_COUNTS + " connection counts per run");
        }
        NotificationTracker tracker = new NotificationTracker(options.notifyingEvents());
        PipelineProgress progressSampler = null;
        CouncilReceiver receiver = null;
        try {
            if (target.notifies()) {
                receiver = new CouncilReceiver(tracker);
            }
            Path dir = options.workDir().resolve(target.name());
            progress.printf("%s: starting%n", target.name());
            progress.flush();
            target.start(new BenchContext(dir, workload, receiver == null ? null : receiver.baseUrl()));
            Optional<Double> startSeconds = target instanceof EngineProcessTarget e && e.startDuration() != null
                    ? Optional.of(e.startDuration().toMillis() / 1000.0) : Optional.empty();
            AckListener listener = target.notifies() ? tracker : AckListener.none();
            LoadDriver driver = new LoadDriver("127.0.0.1", target.mllpPort(), Duration.ofSeconds(10));

            int primeFailures = driver.prime(workload, tagLetter + "Y", PRIME_MESSAGES, listener);
            if (primeFailures > 0) {
                throw new IllegalStateException(primeFailures + " of the first " + PRIME_MESSAGES
                        + " messages were not ACKed AA");
            }

            List<RunResult> closed = new ArrayList<>();
            double pipelineRate = -1;
            progressSampler = target.pipelineCounters().isPresent()
                    ? new PipelineProgress(target::pipelineCounters) : null;
            if (!options.jitWarmup().isZero()) {
                // Unmeasured; its flagged messages' notifications are still counted. The first window's
                // settle waits for the backlog it leaves.
                int c = options.connections().stream().max(Integer::compare).orElseThrow();
                progress.printf("%s: %ss JIT warm-up at %d connection(s), not measured%n", target.name(),
                        options.jitWarmup().toSeconds(), c);
                progress.flush();
                driver.closedLoop(workload, tagLetter + "W", c, options.jitWarmup(), Duration.ofSeconds(1), listener);
            }
            List<Integer> counts = options.connections();
            for (int i = 0; i < counts.size(); i++) {
                int c = counts.get(i);
                String tag = "" + tagLetter + (char) ('A' + i);
                double settled = settle(target, progressSampler);
                progress.printf("%s: %d connection(s), %ss warm-up + %ss%n", target.name(), c,
                        options.warmup().toSeconds(), options.window().toSeconds());
                progress.flush();
                RunResult r = driver.closedLoop(workload, tag, c, options.warmup(), options.window(), listener)
                        .withSettleSeconds(settled);
                closed.add(r);
                if (target.notifies() && progressSampler == null) {
                    pipelineRate = Math.max(pipelineRate, pipelineRate(tracker, tag, r));
                }
            }
            Optional<RunResult> open = Optional.empty();
            if (options.openRate() > 0) {
                double settled = settle(target, progressSampler);
                progress.printf("%s: open loop at %.0f msg/s over %d connections%n", target.name(), options.openRate(),
                        options.openConnections());
                progress.flush();
                open = Optional.of(driver.openLoop(workload, tagLetter + "Z", options.openConnections(),
                        options.openRate(), options.warmup(), options.window(), listener).withSettleSeconds(settled));
            }
            Optional<NotificationTracker.Summary> notes = Optional.empty();
            Optional<NotificationTracker.Summary> openNotes = Optional.empty();
            if (target.notifies()) {
                progress.printf("%s: waiting up to %ss for %d notification(s)%n", target.name(),
                        options.notificationWait().toSeconds(), tracker.expectedCount());
                progress.flush();
                tracker.awaitAll(options.notificationWait());
                notes = Optional.of(tracker.summary());
                if (open.isPresent()) {
                    openNotes = Optional.of(tracker.summary(tagLetter + "Z"));
                }
                // Notifications may have arrived during later runs: recompute the busiest run's rate.
                for (int i = 0; i < closed.size() && progressSampler == null; i++) {
                    pipelineRate = Math.max(pipelineRate, pipelineRate(tracker, "" + tagLetter + (char) ('A' + i),
                            closed.get(i)));
                }
            }
            String basis = "notifications: accepted messages over the time to the run's last notification";
            Optional<BacklogDrain> drain = Optional.empty();
            if (progressSampler != null) {
                progress.printf("%s: waiting up to %ss for the engine to finish every queued message%n", target.name(),
                        options.notificationWait().toSeconds());
                progress.flush();
                boolean drained = progressSampler.awaitDrained(options.notificationWait());
                for (RunResult r : closed) {
                    OptionalDouble rate = progressSampler.rate(r.startNanos(), r.endNanos());
                    if (rate.isPresent()) {
                        pipelineRate = Math.max(pipelineRate, rate.getAsDouble());
                    }
                    // Each closed-loop run's backlog drains before the next run starts (settle), so
                    // nothing is sent meanwhile; the largest backlog times the pipeline best.
                    Optional<BacklogDrain> d = progressSampler.drain(r.endNanos(), r.connections());
                    if (d.isPresent() && (drain.isEmpty() || d.get().messages() > drain.get().messages())) {
                        drain = d;
                    }
                }
                basis = drained ? "engine counters: every queued message finished"
                        : "engine counters: backlog not finished within the wait, so a lower bound";
            }
            Optional<ProcessMemory> memory = target.memory();
            return new TargetResult(target.name(), "measured", closed, open, notes, openNotes,
                    pipelineRate > 0 ? Optional.of(pipelineRate) : Optional.empty(), basis, drain, memory, startSeconds);
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            progress.printf("%s: not measured: %s%n", target.name(), why);
            progress.flush();
            return TargetResult.notRun(target.name(), "not measured: " + why);
        } finally {
            if (progressSampler != null) {
                progressSampler.close();
            }
            try {
                target.close();
            } catch (Exception e) {
                progress.printf("%s: stop failed: %s%n", target.name(), e);
            }
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    /**
     * Attendances/s the whole pipeline kept up with in one run: the run's accepted messages over the
     * time from its start until its last notification arrived (or its end, when that was later).
     * It cannot exceed the ACK rate; it falls below it when processing lags behind intake.
     */
    static double pipelineRate(NotificationTracker tracker, String tag, RunResult r) {
        OptionalLong last = tracker.lastArrivalNanos(tag);
        if (last.isEmpty()) {
            return -1;
        }
        long end = last.getAsLong() - r.endNanos() > 0 ? last.getAsLong() : r.endNanos();
        double seconds = (end - r.startNanos()) / 1e9;
        return seconds <= 0 ? -1 : r.accepted() / seconds;
    }

    /**
     * Waits until the engine has finished everything earlier runs queued, so that each run measures
     * the engine from rest: a closed-loop run at 8 connections queues faster than the pipeline
     * drains, and without this the next run (and the offered-rate run) would share the machine
     * with that backlog. Returns the seconds waited (0 when there was nothing to wait for).
     */
    private double settle(BenchTarget target, PipelineProgress sampler) {
        if (sampler == null) {
            return 0;
        }
        long start = System.nanoTime();
        // A backlog drains in well under three notification waits at the pipeline rates measured so far.
        Duration limit = options.notificationWait().multipliedBy(3);
        boolean drained = sampler.awaitDrained(limit);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds > 1) {
            progress.printf("%s: waited %.0fs for the earlier runs' backlog to finish%n", target.name(), seconds);
            progress.flush();
        }
        if (!drained) {
            progress.printf("%s: backlog not finished after %.0fs; the next run starts beside it%n", target.name(), seconds);
            progress.flush();
        }
        return seconds;
    }
}
