package org.cpis.engine.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpis.engine.db.GroupCommit;

/**
 * The received-messages record: one row per message taken from the intake queue, keyed on the
 * intake-given message id, with how its processing ended. It makes processing exactly-once: a
 * redelivery of a message whose row has a final status (processed, filtered, dead-letter) is
 * skipped, while one whose earlier attempt stopped part-way runs again. A resend of the same
 * control id that intake could not mark as a duplicate (stored, then the AE case) is caught here too.
 *
 * <p>The row is written once, at the end of a stage, through the database's {@link GroupCommit}
 * and before the stage's JMS transaction commits. Why not a 'processing' claim first: the claim
 * cost a second commit per message, and it protected nothing that the JMS transaction does not
 * already: messages of one patient (and so every copy of one message) are consumed in order by
 * one consumer, and every later step is idempotent.
 *
 * <p>A row left 'mapped' means the attendance was handed to the lookup stage; a redelivery of the
 * ADT then maps it again, because the crash may have come between this row's commit and the JMS
 * commit that hands the attendance on (the lookup stage repeats nothing).
 */
public final class ReceivedMessages {
    /** Exchange property: true when this message was already processed and must be skipped. */
    public static final String ALREADY_PROCESSED = "cpisAlreadyProcessed";
    /**
     * Exchange property set by {@link #begin}: whether this message already has its own row. Nearly
     * every message is new, and {@link #finish} then inserts without first trying an update that
     * cannot match (one statement and one index probe fewer per message on the commit thread). No
     * other writer adds a message's row meanwhile: the broker gives the message to one consumer
     * at a time, and a row that appeared anyway would fail the insert, roll the batch back and be
     * found by the redelivery's {@link #begin}.
     */
    public static final String ROW_EXISTS = "cpisReceivedRowExists";

    private static final java.util.Set<String> FINAL = java.util.Set.of("processed", "filtered", "dead-letter");

    /** True for a status after which no stage takes the message again. */
    public static boolean isFinal(String status) {
        return FINAL.contains(status);
    }

    private final DataSource dataSource;
    private final GroupCommit commits;
    private final Duration duplicateWindow;

    public ReceivedMessages(DataSource dataSource, GroupCommit commits, Duration duplicateWindow) {
        this.dataSource = dataSource;
        this.commits = commits;
        this.duplicateWindow = duplicateWindow;
    }

    /**
     * Sets {@link #ALREADY_PROCESSED}: true when this message, or its control id, was already
     * processed; and {@link #ROW_EXISTS}, so that {@link #finish} knows whether to insert or update.
     */
    public void begin(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        String app = m.getHeader(IntakeHeaders.SENDING_APPLICATION, String.class);
        String facility = m.getHeader(IntakeHeaders.SENDING_FACILITY, String.class);
        String controlId = m.getHeader(IntakeHeaders.CONTROL_ID, String.class);
        @SuppressWarnings("unchecked")
        Set<String> batchKeys = app != null && facility != null
                ? exchange.getProperty(GroupCommit.DEFERRED_KEYS, Set.class) : null;
        String key = Hl7Header.duplicateKey(app, facility, controlId);
        Seen seen;
        if (batchKeys != null && batchKeys.contains(key)) {
            // Another copy earlier in this batch: its row is not written yet, so the query cannot see it.
            seen = Seen.DONE;
        } else {
            seen = seen(m.getHeader(IntakeHeaders.MESSAGE_ID, String.class), app, facility, controlId, receivedAt(m));
            if (batchKeys != null && seen != Seen.DONE) {
                batchKeys.add(key);
            }
        }
        exchange.setProperty(ALREADY_PROCESSED, seen == Seen.DONE);
        // DONE is never finished; were it, "may exist" only costs the update probe.
        exchange.setProperty(ROW_EXISTS, seen != Seen.NEW);
    }

    /**
     * What {@link #begin} found: nothing; the message's own row, not final; or done (its own row is
     * final, or the same sender's control id was received within the window).
     */
    private enum Seen { NEW, UNFINISHED, DONE }

    /**
     * This message's own row and whether its status is final, or, when it has no row yet, whether the
     * same sender's control id was received within the duplicate window. One query on the control id
     * answers both, since a message's own row carries its control id: one index lookup per message
     * instead of two.
     */
    private Seen seen(String messageId, String app, String facility, String controlId, Instant received)
            throws SQLException {
        Timestamp since = Timestamp.from(received.minus(duplicateWindow));
        boolean sameControlId = false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message_id, status, sending_application,"
                     + " sending_facility, received_at FROM received_message WHERE control_id = ?")) {
            ps.setString(1, controlId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (messageId != null && messageId.equals(rs.getString(1))) {
                        return FINAL.contains(rs.getString(2)) ? Seen.DONE : Seen.UNFINISHED;
                    }
                    // SQL equality, as before: a row without a sender matches no one.
                    sameControlId |= app != null && app.equals(rs.getString(3))
                            && facility != null && facility.equals(rs.getString(4))
                            && rs.getTimestamp(5).after(since);
                }
            }
        }
        return sameControlId ? Seen.DONE : Seen.NEW;
    }

    /**
     * True when the same sender's control id has a row received within the duplicate window: the
     * rule {@link #begin} skips a copy by, asked by intake before it queues one.
     */
    public boolean receivedWithin(String app, String facility, String controlId) throws SQLException {
        // No message id: no row is the message's own, so only the duplicate rule answers.
        return seen(null, app, facility, controlId, Instant.now()) == Seen.DONE;
    }

    /** Hands every duplicate key ({@link Hl7Header#duplicateKey}) received within the window to {@code keys}; returns how many. */
    public int keysWithin(java.util.function.Consumer<String> keys) throws SQLException {
        int n = 0;
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL streams in fetch-size pieces only inside a transaction; otherwise a week of
            // rows would be read into memory at once.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT sending_application, sending_facility, control_id"
                    + " FROM received_message WHERE received_at >= ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now().minus(duplicateWindow)));
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.accept(Hl7Header.duplicateKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                        n++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return n;
    }

    /**
     * Records how a stage ended ({@code status}: mapped, processed, filtered, dead-letter; outcome:
     * why), from the intake headers the message carries. Returns once the row is committed, or,
     * when the exchange belongs to a batch ({@link GroupCommit#DEFERRED_WRITES}), once the write is
     * handed to the batch, which commits it before acknowledging the message.
     */
    public void finish(Exchange exchange, String status, String outcome) throws SQLException {
        Message m = exchange.getMessage();
        String messageId = m.getHeader(IntakeHeaders.MESSAGE_ID, String.class);
        String controlId = m.getHeader(IntakeHeaders.CONTROL_ID, String.class);
        String app = m.getHeader(IntakeHeaders.SENDING_APPLICATION, String.class);
        String facility = m.getHeader(IntakeHeaders.SENDING_FACILITY, String.class);
        String type = m.getHeader(IntakeHeaders.EVENT, String.class);
        String version = m.getHeader(IntakeHeaders.VERSION, String.class);
        Timestamp received = Timestamp.from(receivedAt(m));
        Timestamp now = Timestamp.from(Instant.now());
        String why = outcome != null && outcome.length() > 400 ? outcome.substring(0, 400) : outcome;
        // Unknown (finish without begin) counts as possibly there.
        boolean mayExist = !Boolean.FALSE.equals(exchange.getProperty(ROW_EXISTS, Boolean.class));
        GroupCommit.Work write = c -> {
            if (mayExist) {
                try (PreparedStatement up = c.prepareStatement(
                        "UPDATE received_message SET status = ?, outcome = ?, processed_at = ? WHERE message_id = ?")) {
                    up.setString(1, status);
                    up.setString(2, why);
                    up.setTimestamp(3, now);
                    up.setString(4, messageId);
                    if (up.executeUpdate() > 0) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO received_message (message_id, control_id,"
                    + " sending_application, sending_facility, message_type, hl7_version, received_at, processed_at,"
                    + " status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, messageId);
                ps.setString(2, controlId);
                ps.setString(3, app);
                ps.setString(4, facility);
                ps.setString(5, type);
                ps.setString(6, version);
                ps.setTimestamp(7, received);
                ps.setTimestamp(8, now);
                ps.setString(9, status);
                ps.setString(10, why);
                ps.executeUpdate();
            }
        };
        @SuppressWarnings("unchecked")
        List<GroupCommit.Work> batch = exchange.getProperty(GroupCommit.DEFERRED_WRITES, List.class);
        if (batch != null) {
            batch.add(write);
        } else {
            commits.execute(write);
        }
    }

    private static Instant receivedAt(Message m) {
        Long receivedAt = m.getHeader(IntakeHeaders.RECEIVED_AT, Long.class);
        return receivedAt != null ? Instant.ofEpochMilli(receivedAt) : Instant.now();
    }
}
