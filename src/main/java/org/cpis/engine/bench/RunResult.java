package org.cpis.engine.bench;

import org.HdrHistogram.Histogram;

/**
 * Figures of one measurement window. Latency in microseconds; in open-loop mode it is measured
 * from the moment the message was due, so a sender falling behind shows as latency
 * (no coordinated omission).
 *
 * @param mode         {@code closed} (send, wait, send) or {@code open} (offered rate)
 * @param offeredRate  messages/s offered in open-loop mode, 0 in closed-loop mode
 * @param messages     ACKs accepted inside the window
 * @param errors       ACKs not AA, MSA-2 mismatches, timeouts and broken connections (whole run)
 * @param sent         messages sent in the whole run, warm-up included
 * @param slices       the same latency by slice of the window (when each message was due)
 * @param startNanos   {@link System#nanoTime()} when the warm-up began
 * @param endNanos     {@link System#nanoTime()} when the last sender stopped
 * @param settleSeconds how long the run waited, before it began, for the engine to finish what the
 *                     runs before it had queued (0 for the first run and for the floor)
 */
public record RunResult(String mode, int connections, double offeredRate, double windowSeconds, long messages,
                        long errors, long sent, Histogram latencyMicros, LatencySlices slices, long startNanos,
                        long endNanos,
                        double settleSeconds) {

    /** The same figures, with the wait before the run. */
    public RunResult withSettleSeconds(double seconds) {
        return new RunResult(mode, connections, offeredRate, windowSeconds, messages, errors, sent, latencyMicros,
                slices, startNanos, endNanos, seconds);
    }

    /** Messages ACKed AA in the whole run, warm-up included. */
    public long accepted() {
        return sent - errors;
    }

    public double throughput() {
        return windowSeconds <= 0 ? 0 : messages / windowSeconds;
    }

    public double p50Millis() {
        return percentileMillis(50);
    }

    public double p99Millis() {
        return percentileMillis(99);
    }

    public double p999Millis() {
        return percentileMillis(99.9);
    }

    public double maxMillis() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }

    private double percentileMillis(double p) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(p) / 1000.0;
    }
}
