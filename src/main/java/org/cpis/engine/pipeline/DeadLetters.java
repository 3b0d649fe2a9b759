package org.cpis.engine.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** The dead-letter record: what a stage could not handle, with why and the exact payload. */
public final class DeadLetters {
    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a payload once per message and stage; {@code reason} must carry no patient data. A
     * message whose transaction rolled back after this (its batch, or the commit, failed) is
     * processed again, and must not be dead-lettered twice.
     */
    public void record(String stage, String messageId, String controlId, String reason, byte[] payload) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letter"
                     + " (message_id, control_id, stage, reason, payload, created_at) SELECT ?, ?, ?, ?, ?, ?"
                     // A null message id matches no row, so such a record is always written.
                     + " WHERE NOT EXISTS (SELECT 1 FROM dead_letter WHERE message_id = ? AND stage = ?)")) {
            ps.setString(1, messageId);
            ps.setString(2, controlId);
            ps.setString(3, stage);
            ps.setString(4, reason.length() > 400 ? reason.substring(0, 400) : reason);
            ps.setBytes(5, payload);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setString(7, messageId);
            ps.setString(8, stage);
            ps.executeUpdate();
        }
    }
}
