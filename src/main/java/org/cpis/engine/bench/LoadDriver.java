package org.cpis.engine.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives a target over C MLLP connections, one platform thread and one blocking socket each.
 * A warm-up (not measured) runs first, then the measurement window.
 *
 * <ul>
 *   <li>closed loop: each connection sends, waits for the ACK, sends the next (real senders);</li>
 *   <li>open loop: the connections together offer a fixed rate; each message has a due time and
 *       its latency counts from then, so queueing in front of a slow target is measured.</li>
 * </ul>
 */
public final class LoadDriver {

    /** Latencies above this are recorded as this (one minute, in microseconds). */
    static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final String host;
    private final int port;
    private final int socketTimeoutMillis;

    public LoadDriver(String host, int port, Duration socketTimeout) {
        this.host = host;
        this.port = port;
        this.socketTimeoutMillis = (int) socketTimeout.toMillis();
    }

    /**
     * Sends {@code count} messages on one connection before any run, so class loading and the first
     * parse of each shape are not part of the first window. Returns how many were not ACKed AA.
     */
    public int prime(Workload workload, String tag, int count, AckListener listener) {
        WorkloadStream stream = workload.stream(tag, tag.hashCode());
        int failed = 0;
        try (MllpClient c = new MllpClient(host, port, socketTimeoutMillis * 3)) {
            for (int i = 0; i < count; i++) {
                GeneratedMessage m = stream.next();
                if (AckCheck.check(c.send(m.frame()), m.controlId()) == AckCheck.Outcome.ACCEPTED) {
                    listener.accepted(m, System.nanoTime());
                } else {
                    failed++;
                }
            }
        } catch (IOException e) {
            return count;
        }
        return failed;
    }

    public RunResult closedLoop(Workload workload, String runTag, int connections, Duration warmup, Duration window,
                                AckListener listener) throws InterruptedException {
        return run(workload, runTag, connections, 0, warmup, window, listener);
    }

    public RunResult openLoop(Workload workload, String runTag, int connections, double rate, Duration warmup,
                              Duration window, AckListener listener) throws InterruptedException {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        return run(workload, runTag, connections, rate, warmup, window, listener);
    }

    private RunResult run(Workload workload, String runTag, int connections, double rate, Duration warmup,
                          Duration window, AckListener listener) throws InterruptedException {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        Clock clock = new Clock();
        List<Sender> senders = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            String tag = runTag + Integer.toString(i, 36).toUpperCase();
            Sender s = new Sender(workload.stream(tag, tag.hashCode() * 31L + i), i, connections, rate, clock,
                    ready, go, listener, window.toNanos());
            senders.add(s);
            s.thread = new Thread(s, "bench-sender-" + tag);
            s.thread.setDaemon(true);
            s.thread.start();
        }
        // Connections open first, then every sender starts on the same clock.
        ready.await(socketTimeoutMillis + 5_000L, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        clock.measureStart = start + warmup.toNanos();
        clock.end = clock.measureStart + window.toNanos();
        clock.start = start;
        go.countDown();

        long joinDeadline = clock.end + TimeUnit.MILLISECONDS.toNanos(2L * socketTimeoutMillis + 5_000L);
        Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
        LatencySlices slices = new LatencySlices(window.toNanos());
        long messages = 0;
        long errors = 0;
        long sent = 0;
        for (Sender s : senders) {
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime()));
            s.thread.join(waitMillis);
            if (s.thread.isAlive()) {
                // A sender stuck past every timeout: close its socket and count it as failed.
                s.abort();
                s.thread.join(1_000);
                errors++;
            }
            synchronized (s) {
                total.add(s.histogram);
                slices.add(s.slices);
                messages += s.measured;
                errors += s.errors;
                sent += s.sent;
            }
        }
        return new RunResult(rate > 0 ? "open" : "closed", connections, rate, window.toNanos() / 1e9, messages, errors,
                sent, total, slices, start, System.nanoTime(), 0);
    }

    /** Shared phase boundaries, in {@link System#nanoTime()}. */
    private static final class Clock {
        volatile long start;
        volatile long measureStart;
        volatile long end;
    }

    private final class Sender implements Runnable {
        final WorkloadStream stream;
        final int index;
        final int connections;
        final double rate;
        final Clock clock;
        final CountDownLatch ready;
        final CountDownLatch go;
        final AckListener listener;
        final Histogram histogram = new Histogram(MAX_LATENCY_MICROS, 3);
        final LatencySlices slices;
        Thread thread;
        long measured;
        long errors;
        long sent;
        private volatile MllpClient client;

        Sender(WorkloadStream stream, int index, int connections, double rate, Clock clock, CountDownLatch ready,
               CountDownLatch go, AckListener listener, long windowNanos) {
            this.slices = new LatencySlices(windowNanos);
            this.stream = stream;
            this.index = index;
            this.connections = connections;
            this.rate = rate;
            this.clock = clock;
            this.ready = ready;
            this.go = go;
            this.listener = listener;
        }

        @Override
        public void run() {
            try {
                client = connect();
            } finally {
                ready.countDown();
            }
            try {
                if (!go.await(socketTimeoutMillis + 10_000L, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (this) {
                loop();
            }
            MllpClient c = client;
            if (c != null) {
                c.close();
            }
        }

        private void loop() {
            long end = clock.end;
            long measureStart = clock.measureStart;
            long interval = rate > 0 ? (long) (connections * 1e9 / rate) : 0;
            long due = clock.start + (rate > 0 ? interval * index / connections : 0);
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (rate > 0) {
                    // A sender behind schedule stops with the window too: the backlog it never sent
                    // shows as throughput below the offered rate, its delay in the latencies.
                    if (due >= end || now >= end) {
                        return;
                    }
                    while (now < due) {
                        LockSupport.parkNanos(due - now);
                        now = System.nanoTime();
                    }
                } else if (now >= end) {
                    return;
                }
                if (client == null) {
                    client = connect();
                    if (client == null) {
                        errors++;
                        // The target refuses connections: back off a little, bounded by the window.
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                        due += interval;
                        continue;
                    }
                }
                GeneratedMessage m = stream.next();
                long t0 = rate > 0 ? due : System.nanoTime();
                String ack;
                try {
                    ack = client.send(m.frame());
                } catch (IOException e) {
                    errors++;
                    sent++;
                    client.close();
                    client = null;
                    due += interval;
                    continue;
                }
                long t1 = System.nanoTime();
                sent++;
                if (AckCheck.check(ack, m.controlId()) == AckCheck.Outcome.ACCEPTED) {
                    listener.accepted(m, t1);
                    if (t0 >= measureStart && t0 < end) {
                        long micros = Math.min(MAX_LATENCY_MICROS, Math.max(0, (t1 - t0) / 1000));
                        histogram.recordValue(micros);
                        slices.record(t0 - measureStart, micros);
                        measured++;
                    }
                } else {
                    errors++;
                }
                due += interval;
            }
        }

        private MllpClient connect() {
            try {
                return new MllpClient(host, port, socketTimeoutMillis);
            } catch (IOException e) {
                return null;
            }
        }

        void abort() {
            MllpClient c = client;
            if (c != null) {
                c.close();
            }
            thread.interrupt();
        }
    }
}
