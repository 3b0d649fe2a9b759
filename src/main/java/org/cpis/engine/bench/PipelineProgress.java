package org.cpis.engine.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Samples the engine's own counters (messages queued by intake, messages whose processing has
 * ended) every 100 ms, so the pipeline's rate is measured on every attendance, not only on the 1%
 * that notify: with the fast lane, notifications no longer wait for the routine backlog.
 */
final class PipelineProgress implements AutoCloseable {
    /** One reading: {@code queued} and {@code finished} as the engine reported them at {@code nanos}. */
    record Sample(long nanos, long queued, long finished) {
    }

    private final Supplier<Optional<PipelineCounters>> source;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stop;

    PipelineProgress(Supplier<Optional<PipelineCounters>> source) {
        this.source = source;
        this.sampler = new Thread(this::loop, "bench-pipeline-progress");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (!stop) {
            long t = System.nanoTime();
            source.get().ifPresent(v -> {
                synchronized (samples) {
                    samples.add(new Sample(t, v.queued(), v.finished()));
                }
            });
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    /**
     * Waits until a sample taken after this call shows every queued message finished, or the wait
     * is over; true when it has.
     */
    boolean awaitDrained(Duration wait) {
        long from = System.nanoTime();
        long deadline = from + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Sample> last = last();
            if (last.isPresent() && last.get().nanos() >= from && last.get().finished() >= last.get().queued()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        return false;
    }

    private Optional<Sample> last() {
        synchronized (samples) {
            return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
        }
    }

    /**
     * Attendances/s the pipeline processed for a run from {@code start} to {@code end}: what was
     * unfinished at its start plus what it queued, over the time from its start until all of that
     * had finished (never before its end). Empty without samples. When the backlog never drained,
     * the rate so far: a lower bound.
     */
    OptionalDouble rate(long start, long end) {
        synchronized (samples) {
            return rate(List.copyOf(samples), start, end);
        }
    }

    static OptionalDouble rate(List<Sample> s, long start, long end) {
        Sample before = null;
        Sample atEnd = null;
        for (Sample x : s) {
            if (x.nanos() <= start) {
                before = x;
            }
            if (atEnd == null && x.nanos() >= end) {
                atEnd = x;
            }
        }
        if (before == null || atEnd == null) {
            return OptionalDouble.empty();
        }
        long target = atEnd.queued();
        for (Sample x : s) {
            if (x.nanos() >= end && x.finished() >= target) {
                return OptionalDouble.of((target - before.finished()) / ((x.nanos() - start) / 1e9));
            }
        }
        Sample last = s.get(s.size() - 1);
        return OptionalDouble.of((last.finished() - before.finished()) / ((last.nanos() - start) / 1e9));
    }

    /**
     * The backlog left at {@code end} worked off with intake idle: from the first sample after
     * which the queued count stays still until the first that shows everything finished. Empty
     * when the backlog never finished, intake queued more meanwhile, or it was too small to time
     * on 100 ms samples (under {@value #MIN_DRAIN_MESSAGES} messages or {@value #MIN_DRAIN_SECONDS} s).
     * {@code connections} names the run.
     */
    Optional<BacklogDrain> drain(long end, int connections) {
        synchronized (samples) {
            return drain(List.copyOf(samples), end, connections);
        }
    }

    static final long MIN_DRAIN_MESSAGES = 200;
    static final double MIN_DRAIN_SECONDS = 2.0;

    static Optional<BacklogDrain> drain(List<Sample> s, long end, int connections) {
        int done = -1;
        for (int i = 0; i < s.size(); i++) {
            Sample x = s.get(i);
            if (x.nanos() >= end && x.finished() >= x.queued()) {
                done = i;
                break;
            }
        }
        if (done < 0) {
            return Optional.empty();
        }
        long queued = s.get(done).queued();
        int from = done;
        while (from > 0 && s.get(from - 1).nanos() >= end && s.get(from - 1).queued() == queued) {
            from--;
        }
        Sample a = s.get(from);
        Sample b = s.get(done);
        long messages = b.finished() - a.finished();
        long nanos = b.nanos() - a.nanos();
        if (messages < MIN_DRAIN_MESSAGES || nanos < MIN_DRAIN_SECONDS * 1e9) {
            return Optional.empty();
        }
        return Optional.of(new BacklogDrain(connections, messages, nanos / 1e9));
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.join(2000);
    }
}
