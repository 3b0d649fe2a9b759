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

    /** Records a payload; {@code reason} must carry no patient data. */
    public void record(String stage, String messageId, String controlId, String reason, byte[] payload) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letter"
                     + " (message_id, control_id, stage, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, messageId);
            ps.setString(2, controlId);
            ps.setString(3, stage);
            ps.setString(4, reason.length() > 400 ? reason.substring(0, 400) : reason);
            ps.setBytes(5, payload);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}
