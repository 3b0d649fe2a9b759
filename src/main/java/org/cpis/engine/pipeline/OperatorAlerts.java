package org.cpis.engine.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises operator alerts: a WARN log line and a row in {@code operator_alert}, the source for the
 * operations view. Alert text carries ids and ODS codes, never patient data.
 */
public final class OperatorAlerts {
    private static final Logger LOG = LoggerFactory.getLogger("org.cpis.engine.OperatorAlert");
    private final DataSource dataSource;

    public OperatorAlerts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void raise(String kind, String detail, String reference) throws SQLException {
        LOG.warn("OPERATOR ALERT [{}] {} (ref {})", kind, detail, reference);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO operator_alert (kind, detail, reference, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, kind);
            ps.setString(2, detail.length() > 400 ? detail.substring(0, 400) : detail);
            ps.setString(3, reference);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}
