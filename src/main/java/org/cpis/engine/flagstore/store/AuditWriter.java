package org.cpis.engine.flagstore.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the audit records of reads on one background thread, many reads per transaction (what came
 * in within {@link #LINGER} of the first). A lookup then costs no commit of its own: on H2 a commit
 * writes a file chunk, on PostgreSQL it waits for the WAL flush; measured, that was a fifth to a
 * quarter of a lookup's server time.
 *
 * <p>Nothing is dropped: records the bounded queue cannot take are written by the caller in its own
 * transaction ({@link #offer} returns false), a failed batch is retried, and {@link #close} commits
 * everything queued before it returns. A crash loses what is still queued (docs/flag-store.md, Audit).
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    static final int CAPACITY = 10_000;
    static final int MAX_BATCH = 500;
    /** How long the first record of a batch waits for more: one commit per this long, not one per read. */
    static final Duration LINGER = Duration.ofMillis(100);
    private static final long RETRY_MAX_MS = 5_000;
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(30);
    private static final Duration AWAIT_DEADLINE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final int capacity;
    private final Thread thread;
    // Guarded by this. Records leave the queue in order and one writer commits them, so the first
    // `committed` of the `accepted` records are in the database.
    private final ArrayDeque<AuditLog.Entry> queue = new ArrayDeque<>();
    private long accepted;
    private long committed;
    /** The highest count a caller of {@link #awaitWritten} waits for: no lingering below it. */
    private long wanted;
    private boolean closed;
    /** Failed attempts in a row (writer thread only). */
    private int failures;

    AuditWriter(DataSource dataSource) {
        this(dataSource, CAPACITY);
    }

    AuditWriter(DataSource dataSource, int capacity) {
        this.dataSource = dataSource;
        this.capacity = capacity;
        thread = new Thread(this::run, "cpis-flagstore-audit");
        // A JVM that exits without close() (a crash) must not hang on this thread.
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues all of {@code entries}, or none of them (queue full or closed: the caller writes them). */
    synchronized boolean offer(List<AuditLog.Entry> entries) {
        if (closed || queue.size() + entries.size() > capacity) {
            return false;
        }
        boolean wasEmpty = queue.isEmpty();
        queue.addAll(entries);
        accepted += entries.size();
        if (wasEmpty || queue.size() >= MAX_BATCH) {
            notifyAll();
        }
        return true;
    }

    /** Waits until every record queued so far is committed, so an audit query sees every earlier read. */
    synchronized void awaitWritten() {
        long target = accepted;
        wanted = Math.max(wanted, target);
        notifyAll();
        long deadline = System.nanoTime() + AWAIT_DEADLINE.toNanos();
        while (committed < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw StoreException.of("wait for the audit writer", new SQLException("audit records not yet committed"));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StoreException.of("wait for the audit writer", new SQLException("interrupted"));
            }
        }
    }

    /** Stops taking records and commits the queued ones (normal shutdown loses none). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<AuditLog.Entry> batch = List.of();
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    batch = nextBatch();
                    if (batch.isEmpty()) {
                        return;
                    }
                }
                if (write(batch)) {
                    synchronized (this) {
                        committed += batch.size();
                        notifyAll();
                    }
                    batch = List.of();
                    continue;
                }
                synchronized (this) {
                    if (closed && giveUpAt == Long.MAX_VALUE) {
                        giveUpAt = System.nanoTime() + CLOSE_DEADLINE.toNanos();
                    }
                    if (System.nanoTime() > giveUpAt) {
                        LOG.error("Flag store audit: {} read records could not be written before shutdown", batch.size() + queue.size());
                        return;
                    }
                    // close() wakes this wait, so a shutdown does not sit out a long back-off.
                    wait(Math.min(RETRY_MAX_MS, 50L << Math.min(failures, 7)));
                }
            } catch (InterruptedException e) {
                // Only close() ends the writer.
            }
        }
    }

    /** The next batch: waits for a first record, then up to {@link #LINGER} for more; empty once closed and drained. */
    private synchronized List<AuditLog.Entry> nextBatch() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        long deadline = System.nanoTime() + LINGER.toNanos();
        long left;
        while (!closed && wanted <= committed && queue.size() < MAX_BATCH && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<AuditLog.Entry> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private boolean write(List<AuditLog.Entry> batch) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement(AuditLog.INSERT)) {
                AuditLog.insert(ps, batch);
            }
            c.commit();
            if (failures > 0) {
                LOG.info("Flag store audit: writing again after {} failed attempts", failures);
                failures = 0;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (failures++ == 0) {
                LOG.warn("Flag store audit: cannot write {} read records yet, will retry: {}", batch.size(), e.toString());
            }
            return false;
        }
    }
}
