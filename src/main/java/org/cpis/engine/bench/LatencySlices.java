package org.cpis.engine.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * ACK latency of one window cut into slices of a few seconds, by when each message was due. Why:
 * one p99 over the window cannot tell a tail spread evenly over the run from the engine falling
 * behind in its first seconds (code still compiling) and catching up; the slices show which.
 */
public final class LatencySlices {
    /** Slice length: at 500 msg/s a slice holds 2,500 messages, enough for a steady p99. */
    public static final long SLICE_NANOS = 5_000_000_000L;

    private final long windowNanos;
    private final Histogram[] slices;

    /** @param windowNanos the measurement window; its last slice may be shorter than the rest */
    public LatencySlices(long windowNanos) {
        this.windowNanos = windowNanos;
        slices = new Histogram[(int) Math.max(1, (windowNanos + SLICE_NANOS - 1) / SLICE_NANOS)];
    }

    /** Records a message due {@code sinceStartNanos} after the window began; outside the window it is ignored. */
    public void record(long sinceStartNanos, long latencyMicros) {
        if (sinceStartNanos < 0 || sinceStartNanos >= windowNanos) {
            return;
        }
        int i = (int) (sinceStartNanos / SLICE_NANOS);
        if (slices[i] == null) {
            // Two significant digits: a slice's p99 to 1%, at a fraction of the window histogram's memory.
            slices[i] = new Histogram(LoadDriver.MAX_LATENCY_MICROS, 2);
        }
        slices[i].recordValue(Math.min(LoadDriver.MAX_LATENCY_MICROS, Math.max(0, latencyMicros)));
    }

    /** Adds another sender's slices of the same window. */
    public void add(LatencySlices other) {
        for (int i = 0; i < Math.min(slices.length, other.slices.length); i++) {
            if (other.slices[i] == null) {
                continue;
            }
            if (slices[i] == null) {
                slices[i] = new Histogram(LoadDriver.MAX_LATENCY_MICROS, 2);
            }
            slices[i].add(other.slices[i]);
        }
    }

    /** One slice's figures; {@code fromSecond} counts from the start of the window. */
    public record Slice(int fromSecond, long messages, double p50Millis, double p99Millis, double maxMillis) {
    }

    public List<Slice> summary() {
        List<Slice> out = new ArrayList<>(slices.length);
        for (int i = 0; i < slices.length; i++) {
            Histogram h = slices[i];
            int from = (int) (i * SLICE_NANOS / 1_000_000_000L);
            if (h == null || h.getTotalCount() == 0) {
                out.add(new Slice(from, 0, 0, 0, 0));
            } else {
                out.add(new Slice(from, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0));
            }
        }
        return out;
    }
}
