package org.cpis.engine.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The received-messages record, written by the first processing stage as it takes a message off
 * the durable queue. Inserting on the intake-given message id makes processing exactly-once: a
 * redelivery of a finished message finds its row and is skipped, while one whose earlier attempt
 * stopped part-way (row still 'processing') runs again. A resend of the same control id that
 * intake could not mark as a duplicate (stored, then the AE case) is caught here too.
 */
public final class ReceivedMessages {
    /** Exchange property: true when this message was already processed and must be skipped. */
    public static final String ALREADY_PROCESSED = "cpisAlreadyProcessed";

    private final DataSource dataSource;
    private final Duration duplicateWindow;

    public ReceivedMessages(DataSource dataSource, Duration duplicateWindow) {
        this.dataSource = dataSource;
        this.duplicateWindow = duplicateWindow;
    }

    /** Claims the message for processing; sets {@link #ALREADY_PROCESSED} when it is a repeat. */
    public void begin(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        String messageId = m.getHeader(IntakeHeaders.MESSAGE_ID, String.class);
        String controlId = m.getHeader(IntakeHeaders.CONTROL_ID, String.class);
        String app = m.getHeader(IntakeHeaders.SENDING_APPLICATION, String.class);
        String facility = m.getHeader(IntakeHeaders.SENDING_FACILITY, String.class);
        Long receivedAt = m.getHeader(IntakeHeaders.RECEIVED_AT, Long.class);
        Instant received = receivedAt != null ? Instant.ofEpochMilli(receivedAt) : Instant.now();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String status = statusOf(c, messageId);
                if ("processing".equals(status)) {
                    // An earlier attempt failed or died part-way (JMS rolled back and redelivered): run it again.
                    c.rollback();
                    exchange.setProperty(ALREADY_PROCESSED, false);
                    return;
                }
                if (status != null || sameControlIdProcessed(c, app, facility, controlId, received)) {
                    c.rollback();
                    exchange.setProperty(ALREADY_PROCESSED, true);
                    return;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO received_message (message_id, control_id,"
                        + " sending_application, sending_facility, message_type, hl7_version, received_at, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 'processing')")) {
                    ps.setString(1, messageId);
                    ps.setString(2, controlId);
                    ps.setString(3, app);
                    ps.setString(4, facility);
                    ps.setString(5, m.getHeader(IntakeHeaders.EVENT, String.class));
                    ps.setString(6, m.getHeader(IntakeHeaders.VERSION, String.class));
                    ps.setTimestamp(7, Timestamp.from(received));
                    ps.executeUpdate();
                }
                c.commit();
                exchange.setProperty(ALREADY_PROCESSED, false);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records how processing ended ({@code status}: processed, filtered, dead-letter; outcome: why). */
    public void finish(String messageId, String status, String outcome) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE received_message SET status = ?, outcome = ?, processed_at = ? WHERE message_id = ?")) {
            ps.setString(1, status);
            ps.setString(2, outcome != null && outcome.length() > 400 ? outcome.substring(0, 400) : outcome);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.setString(4, messageId);
            ps.executeUpdate();
        }
    }

    /** The status of this message's row, or null when it has none yet. */
    private static String statusOf(Connection c, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM received_message WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private boolean sameControlIdProcessed(Connection c, String app, String facility, String controlId, Instant received)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM received_message WHERE control_id = ?"
                + " AND sending_application = ? AND sending_facility = ? AND received_at > ?")) {
            ps.setString(1, controlId);
            ps.setString(2, app);
            ps.setString(3, facility);
            ps.setTimestamp(4, Timestamp.from(received.minus(duplicateWindow)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
