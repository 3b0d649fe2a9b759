package org.cpis.engine.intake;

import java.net.SocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/**
 * The rejected-messages record: the exact bytes of every message answered AR, with why, so an
 * operator can see what arrived. If it cannot be written the route answers AE instead of AR, so
 * the sender retries and nothing is silently dropped.
 */
public final class RejectedMessages {
    private final DataSource dataSource;

    public RejectedMessages(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(Exchange exchange) throws SQLException {
        ReceivedAdt adt = exchange.getProperty("cpisAdt", ReceivedAdt.class);
        Object remote = exchange.getMessage().getHeader("CamelNettyRemoteAddress");
        record(adt, remote instanceof SocketAddress sa ? sa.toString() : null);
    }

    public void record(ReceivedAdt adt, String remoteAddress) throws SQLException {
        RejectException r = adt.rejection();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO rejected_message"
                     + " (received_at, remote_address, control_id, field, reason, size_bytes, truncated, raw)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, truncate(remoteAddress, 100));
            ps.setString(3, adt.header() != null ? truncate(adt.header().controlId(), 199) : null);
            ps.setString(4, truncate(r.location(), 20));
            ps.setString(5, truncate(r.getMessage(), 400));
            ps.setInt(6, adt.frame().length());
            ps.setBoolean(7, adt.frame().oversize());
            ps.setBytes(8, adt.frame().bytes());
            ps.executeUpdate();
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
