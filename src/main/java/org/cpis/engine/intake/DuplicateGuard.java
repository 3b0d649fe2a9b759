package org.cpis.engine.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.cpis.engine.db.GroupCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate detection on sender + MSH-10, in the table of Camel's JDBC idempotent repository
 * ({@code camel_messageprocessed}, processor {@value #PROCESSOR}).
 *
 * <p>Why check and confirm as two steps rather than Camel's idempotentConsumer EIP: the key must
 * be recorded only after the message is durably queued. If the key were written first and the
 * enqueue then failed, the sender's retry would be taken for a duplicate, answered AA, and lost.
 * Recording it after means a crash in between can only queue a message twice, which the
 * processing stage detects.
 *
 * <p>The key is written through the database's {@link GroupCommit}, so concurrent senders share
 * one commit, and the ACK does not wait for it: the AA promises that the message is durably queued,
 * which the broker's sync already guarantees. The key may wait up to 10 ms to share a stage's commit;
 * until it has committed it is held in memory, so a resend in that time is still answered as a
 * duplicate. A crash can lose those milliseconds of keys; a resend of such a message is queued
 * again and the attendance stage skips it (same sender and MSH-10 already received), as for any
 * crash between enqueue and key.
 */
public final class DuplicateGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateGuard.class);
    static final String PROCESSOR = "receive-adt";

    private final DataSource dataSource;
    private final GroupCommit commits;
    private final Duration window;
    /** Keys queued for the next group commit and not yet committed. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private final Runnable onQueued;

    /** @param onQueued told of each message queued (not of duplicates), for the engine's counters */
    public DuplicateGuard(DataSource dataSource, GroupCommit commits, Duration window, Runnable onQueued) {
        this.dataSource = dataSource;
        this.commits = commits;
        this.window = window;
        this.onQueued = onQueued;
    }

    /** Sets the exchange property {@link IntakeHeaders#DUPLICATE}: true when this sender's MSH-10 was seen within the window. */
    public void check(Exchange exchange) throws SQLException {
        exchange.setProperty(IntakeHeaders.DUPLICATE, contains(exchange.getProperty(IntakeHeaders.DUPLICATE_KEY, String.class)));
    }

    /** True when the key is recorded or on its way (purge keeps the table to the window). */
    public boolean contains(String key) throws SQLException {
        if (pending.contains(key)) {
            return true;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM camel_messageprocessed WHERE processorname = ? AND messageid = ?")) {
            ps.setString(1, PROCESSOR);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records the key once the message is in the queue; returns at once, the key commits with the next group. */
    public void confirm(Exchange exchange) {
        String key = exchange.getProperty(IntakeHeaders.DUPLICATE_KEY, String.class);
        Timestamp now = Timestamp.from(Instant.now());
        // Insert-if-absent: two copies sent at once on two connections both pass check().
        onQueued.run();
        pending.add(key);
        commits.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO camel_messageprocessed (processorname, messageid,"
                    + " createdat) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM camel_messageprocessed"
                    + " WHERE processorname = ? AND messageid = ?)")) {
                ps.setString(1, PROCESSOR);
                ps.setString(2, key);
                ps.setTimestamp(3, now);
                ps.setString(4, PROCESSOR);
                ps.setString(5, key);
                ps.executeUpdate();
            }
        }).whenComplete((ok, failed) -> {
            pending.remove(key);
            if (failed != null) {
                // The message is queued all the same; only a resend would be queued again, then skipped.
                LOG.warn("Duplicate-detection key not recorded ({}): a resend of that message will be queued again"
                        + " and skipped by the attendance stage", failed.getClass().getSimpleName());
            }
        });
    }

    /** Forgets keys older than the window; run on a timer by the {@code purge-duplicate-keys} route. */
    public int purge() throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM camel_messageprocessed WHERE processorname = ? AND createdat < ?")) {
            ps.setString(1, PROCESSOR);
            ps.setTimestamp(2, Timestamp.from(Instant.now().minus(window)));
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.debug("Purged {} duplicate-detection keys older than {}", n, window);
            }
            return n;
        }
    }
}
