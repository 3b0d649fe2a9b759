package org.cpis.engine.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: small writes from many threads share one database transaction and one commit.
 *
 * <p>Why: every commit costs a disk write (H2 with {@code WRITE_DELAY=0} writes a store chunk per
 * commit and takes commits one at a time; PostgreSQL flushes its WAL per commit), so one commit per
 * message caps the pipeline at the commit rate. Here one writer thread takes whatever is waiting,
 * runs it in one transaction and commits once. Each caller still blocks until the transaction that
 * holds its write has committed, so a caller that commits its JMS transaction next does so only
 * after its row is durable: nothing changes for crash safety, only the number of commits.
 *
 * <p>Commits may also be spaced: with a {@code commitInterval}, a commit starts no sooner than that
 * after the one before it, and what arrives meanwhile joins it. At 500 msg/s the stages' consumers
 * each waited on a commit of their own, one or two writes each, and the file sync after it: most of
 * the writer's CPU went on the store chunk H2 writes per commit whatever it holds, and each commit's
 * file sync shares the disk with the broker journal's. A writer that has been idle for the interval
 * commits at once, so a lone write waits no longer than before; only a stream of writes is slowed,
 * each by at most the interval. A batch that already carries {@code enoughRows} rows (a stage
 * consumer's write counts its batch's rows) does not wait: a backlog drains at full speed.
 *
 * <p>A write that fails does not fail its neighbours: after a failed batch each write is run again
 * alone, so only the bad one reports an error. When no connection can be had (database down), the
 * whole batch fails at once, and callers answer as they would for any database error.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /**
     * Exchange property a batch consumer sets to a {@code List<Work>}: a write a stage would commit
     * goes into that list instead, and the consumer commits the whole batch's writes in one
     * transaction before it acknowledges the batch's messages.
     */
    public static final String DEFERRED_WRITES = "cpisDeferredWrites";
    /**
     * Exchange property a batch consumer sets, beside {@link #DEFERRED_WRITES}, to a
     * {@code Set<String>} shared by the batch's exchanges: the keys of the rows its deferred writes
     * will write, so a step can see a row an earlier message of the same batch has not written yet.
     */
    public static final String DEFERRED_KEYS = "cpisDeferredKeys";
    /** Waiting out the commit interval polls in slices this long, so that close() is not kept waiting. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One caller's write, run on the writer's connection inside the shared transaction. */
    @FunctionalInterface
    public interface Work {
        void run(Connection c) throws SQLException;
    }

    /** @param rows how many rows the work writes (a batch's writes in one work count as many) */
    private record Item(Work work, CompletableFuture<Void> done, int rows) {
    }

    private final DataSource dataSource;
    private final int maxBatch;
    private final Duration timeout;
    private final long commitIntervalNanos;
    private final int enoughRows;
    /** When the last batch was taken to be committed (writer thread only). */
    private long lastCommitNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private final Work afterCommit;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong commitCount = new AtomicLong();
    private final AtomicLong writeCount = new AtomicLong();
    private volatile boolean closed;

    public GroupCommit(DataSource dataSource, int maxBatch, Duration timeout) {
        this(dataSource, maxBatch, timeout, Duration.ZERO, Integer.MAX_VALUE, null);
    }

    public GroupCommit(DataSource dataSource, int maxBatch, Duration timeout, Work afterCommit) {
        this(dataSource, maxBatch, timeout, Duration.ZERO, Integer.MAX_VALUE, afterCommit);
    }

    /**
     * @param commitInterval the least time from one commit's start to the next's (zero: none)
     * @param enoughRows a batch carrying this many rows is committed without waiting out the interval
     * @param afterCommit run on the writer's connection after each commit and before any caller is
     *        told it has committed (H2: sync the file to disk), or null; if it fails, so do the writes
     */
    public GroupCommit(DataSource dataSource, int maxBatch, Duration timeout, Duration commitInterval,
            int enoughRows, Work afterCommit) {
        this.dataSource = dataSource;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.enoughRows = enoughRows;
        this.afterCommit = afterCommit;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.writer = new Thread(this::loop, "cpis-db-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs {@code work} in the next group transaction and returns once it has committed.
     *
     * @throws SQLException when the write or its commit failed, or did not finish within the timeout
     *         (then it may still commit later: callers' writes are idempotent)
     */
    public void execute(Work work) throws SQLException {
        execute(work, 1);
    }

    /** As {@link #execute(Work)}, for a work that writes {@code rows} rows (a stage's whole batch). */
    public void execute(Work work, int rows) throws SQLException {
        if (closed) {
            throw new SQLException("database writer is stopped");
        }
        CompletableFuture<Void> done = enqueue(work, rows);
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("database write failed: " + cause.getClass().getSimpleName(), cause);
        } catch (TimeoutException e) {
            throw new SQLException("database write not committed within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the database write");
        }
    }

    /**
     * Queues {@code work} for the next group transaction without waiting: the future completes when
     * it has committed, or exceptionally when it failed or the writer stopped.
     */
    public CompletableFuture<Void> submit(Work work) {
        return enqueue(work, 1);
    }

    private CompletableFuture<Void> enqueue(Work work, int rows) {
        Item item = new Item(work, new CompletableFuture<>(), rows);
        if (closed) {
            item.done().completeExceptionally(new SQLException("database writer is stopped"));
            return item.done();
        }
        queue.add(item);
        return item.done();
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Item first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                gatherUntil(batch, lastCommitNanos + commitIntervalNanos);
                lastCommitNanos = System.nanoTime();
                runBatch(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after the queue is drained or abandoned.
                batch.forEach(i -> i.done().completeExceptionally(new SQLException("database writer is stopped")));
                break;
            } catch (Throwable t) {
                // Never let the writer die: fail this batch and carry on.
                batch.forEach(i -> i.done().completeExceptionally(t));
                LOG.error("Group commit writer failed: {}", t.getClass().getSimpleName());
            } finally {
                batch.clear();
            }
        }
    }

    /** Keeps gathering until {@code deadline} (the commit interval), the batch has enough rows, or close(). */
    private void gatherUntil(List<Item> batch, long deadline) throws InterruptedException {
        while (batch.stream().mapToInt(Item::rows).sum() < enoughRows && gather(batch, deadline)) {
            // gathering
        }
    }

    /** Waits for more writes, a slice at a time; false once the deadline has passed or no more may join. */
    private boolean gather(List<Item> batch, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || batch.size() >= maxBatch || closed) {
            return false;
        }
        Item next = queue.poll(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
        if (next != null) {
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
        return true;
    }

    private void runBatch(List<Item> batch) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            batch.forEach(i -> i.done().completeExceptionally(e));
            return;
        }
        try (c) {
            c.setAutoCommit(false);
            List<Item> committed = new ArrayList<>(batch.size());
            try {
                commit(c, batch);
                committed.addAll(batch);
            } catch (SQLException | RuntimeException e) {
                if (batch.size() == 1) {
                    batch.get(0).done().completeExceptionally(e);
                    return;
                }
                // One write spoiled the batch: run each alone so only that one fails.
                for (Item i : batch) {
                    try {
                        commit(c, List.of(i));
                        committed.add(i);
                    } catch (SQLException | RuntimeException failed) {
                        i.done().completeExceptionally(failed);
                    }
                }
            }
            afterCommit(c, committed);
        } catch (SQLException e) {
            batch.forEach(i -> i.done().completeExceptionally(e));
        }
    }

    /** Runs the writes in one transaction and commits it; rolls back and throws if any fails. */
    private void commit(Connection c, List<Item> items) throws SQLException {
        try {
            for (Item i : items) {
                i.work().run(c);
            }
            c.commit();
            commitCount.incrementAndGet();
            writeCount.addAndGet(items.stream().mapToInt(Item::rows).sum());
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            throw e;
        }
    }

    /** Tells the committed writes' callers, once the after-commit step (the disk sync) has run. */
    private void afterCommit(Connection c, List<Item> committed) {
        if (committed.isEmpty()) {
            return;
        }
        if (afterCommit != null) {
            try {
                afterCommit.run(c);
            } catch (SQLException | RuntimeException e) {
                // Committed but perhaps not on disk: callers roll back and retry (their writes are idempotent).
                committed.forEach(i -> i.done().completeExceptionally(e));
                return;
            }
        }
        committed.forEach(i -> i.done().complete(null));
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback after a failed group commit failed: {}", e.toString());
        }
    }

    /** Transactions committed so far (each holds one or more callers' writes). */
    public long commits() {
        return commitCount.get();
    }

    /** Rows committed so far: with {@link #commits()}, how many rows a commit carries on average. */
    public long writes() {
        return writeCount.get();
    }

    /** Writes waiting for the next transaction. */
    public int queued() {
        return queue.size();
    }

    /** Commits what is already waiting, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        Item left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new SQLException("database writer is stopped"));
        }
    }
}
