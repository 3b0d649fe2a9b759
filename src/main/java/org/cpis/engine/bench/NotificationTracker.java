package org.cpis.engine.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Matches what the engine was sent with what the council receiver got, by visit number. A flagged
 * message is expected once its ACK is AA; its notification latency runs from that ACK to the
 * moment the receiver holds the notification. Either side may come first.
 */
public final class NotificationTracker implements AckListener {

    private static final int ACK = 0;
    private static final int ARRIVAL = 1;
    private static final int ARRIVALS = 2;
    /** Not yet seen (nanoTime values may be negative, so not -1). */
    private static final long NONE = Long.MIN_VALUE;

    private final Set<AdtEvent> notifyingEvents;
    private final ConcurrentHashMap<String, long[]> visits = new ConcurrentHashMap<>();
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final Object signal = new Object();

    /** @param notifyingEvents events that lead to a notification for a flagged patient */
    public NotificationTracker(Set<AdtEvent> notifyingEvents) {
        this.notifyingEvents = Set.copyOf(notifyingEvents);
    }

    @Override
    public void accepted(GeneratedMessage m, long ackNanos) {
        if (m.flagged() && notifyingEvents.contains(m.event())) {
            expected.incrementAndGet();
            visits.compute(m.visitNumber(), (k, v) -> {
                long[] e = v != null ? v : newEntry();
                e[ACK] = ackNanos;
                if (e[ARRIVAL] != NONE) {
                    matched.incrementAndGet();
                }
                return e;
            });
        }
    }

    /** The receiver got a notification naming {@code visit}. */
    void arrived(String visit, long nanos) {
        visits.compute(visit, (k, v) -> {
            long[] e = v != null ? v : newEntry();
            e[ARRIVALS]++;
            if (e[ARRIVAL] == NONE) {
                e[ARRIVAL] = nanos;
                if (e[ACK] != NONE) {
                    matched.incrementAndGet();
                }
            }
            return e;
        });
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** One POST reached the receiver (whatever it named). */
    void posted() {
        posts.incrementAndGet();
    }

    public long expectedCount() {
        return expected.get();
    }

    public long matchedCount() {
        return matched.get();
    }

    /** Waits until every expected notification arrived, or the timeout passed; true when all did. */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (matched.get() < expected.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                signal.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
        return true;
    }

    /** Call once the load has stopped (reads the entries without locking). */
    public Summary summary() {
        return summary(expected.get(), visits.values());
    }

    /**
     * The same, for the messages of one driver run only ({@code runTag} as given to
     * {@link LoadDriver}): the latency at that run's load, not at the others'.
     */
    public Summary summary(String runTag) {
        String prefix = WorkloadStream.VISIT_PREFIX + runTag;
        List<long[]> entries = visits.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).toList();
        return summary(entries.stream().filter(e -> e[ACK] != NONE).count(), entries);
    }

    private Summary summary(long exp, Collection<long[]> entries) {
        Histogram h = new Histogram(LoadDriver.MAX_LATENCY_MICROS, 3);
        long delivered = 0;
        long unexpected = 0;
        long duplicates = 0;
        for (long[] e : entries) {
            if (e[ACK] != NONE && e[ARRIVAL] != NONE) {
                delivered++;
                h.recordValue(Math.min(LoadDriver.MAX_LATENCY_MICROS, Math.max(0, (e[ARRIVAL] - e[ACK]) / 1000)));
            } else if (e[ACK] == NONE && e[ARRIVAL] != NONE) {
                unexpected++;
            }
            if (e[ARRIVALS] > 1) {
                duplicates += e[ARRIVALS] - 1;
            }
        }
        return new Summary(exp, delivered, exp - delivered, unexpected, duplicates, posts.get(), h);
    }

    /**
     * When the last notification of one driver run arrived ({@code runTag} as given to
     * {@link LoadDriver}); empty when none did.
     */
    public OptionalLong lastArrivalNanos(String runTag) {
        String prefix = WorkloadStream.VISIT_PREFIX + runTag;
        long last = 0;
        boolean any = false;
        for (var e : visits.entrySet()) {
            long a = e.getValue()[ARRIVAL];
            if (a != NONE && e.getKey().startsWith(prefix) && (!any || a - last > 0)) {
                last = a;
                any = true;
            }
        }
        return any ? OptionalLong.of(last) : OptionalLong.empty();
    }

    private static long[] newEntry() {
        return new long[] {NONE, NONE, 0};
    }

    /**
     * @param expected   flagged messages ACKed AA (warm-up included)
     * @param delivered  of those, how many reached the council receiver
     * @param lost       expected minus delivered: each is a failure
     * @param unexpected notifications for visits the bench never expected (unflagged patients)
     * @param duplicates extra copies of a notification already received
     * @param posts      POSTs the receiver answered
     */
    public record Summary(long expected, long delivered, long lost, long unexpected, long duplicates, long posts,
                          Histogram latencyMicros) {
        public double p50Millis() {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        public double p99Millis() {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }
}
