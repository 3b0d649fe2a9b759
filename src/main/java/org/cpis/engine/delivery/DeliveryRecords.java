package org.cpis.engine.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Notifications and their per-channel delivery records (tables of V3__delivery.sql), over any
 * DataSource (H2 or PostgreSQL). Every write is idempotent where a redelivery can repeat it, so a
 * route may replay a step after a crash. Error texts stored here must carry no patient data; they are
 * cut to 400 characters.
 */
public final class DeliveryRecords {
    private static final String DELIVERY_COLUMNS = "id, notification_id, council_ods, channel, status, attempts, last_error,"
            + " created_at, updated_at, delivered_at, next_attempt_at";

    /** Marks a null timestamp parameter, so it is bound with its SQL type (PostgreSQL wants it). */
    private static final Object NULL_TIMESTAMP = new Object();

    private final DataSource ds;
    private final Clock clock;

    public DeliveryRecords(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public DeliveryRecords(DataSource ds) {
        this(ds, Clock.systemUTC());
    }

    /** Stores a notification; false when one with that id is already stored (then nothing changes). */
    public boolean saveNotification(NotificationRecord n) {
        try (Connection c = ds.getConnection()) {
            insertNotification(c, n);
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw new DeliveryRecordException("cannot store notification " + n.notificationId(), e);
        }
    }

    private void insertNotification(Connection c, NotificationRecord n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification (notification_id, attendance_control_id,"
                + " flag_id, council_ods, event, fallback_used, created_at, bundle_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, n.notificationId());
            ps.setString(2, n.attendanceControlId());
            ps.setString(3, n.flagId());
            ps.setString(4, n.councilOds());
            ps.setString(5, n.event());
            ps.setBoolean(6, n.fallbackUsed());
            ps.setObject(7, n.createdAt() != null ? n.createdAt() : now());
            ps.setString(8, n.bundleJson());
            ps.executeUpdate();
        }
    }

    /**
     * Stores a notification and a pending delivery for each channel in one transaction; false (and no
     * change) when the notification was already stored.
     */
    public boolean saveNotificationWithDeliveries(NotificationRecord n, List<ChannelType> channels) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM notification WHERE notification_id = ?")) {
                    ps.setString(1, n.notificationId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            c.rollback();
                            return false;
                        }
                    }
                }
                insertNotification(c, n);
                for (ChannelType ch : channels) {
                    insertDelivery(c, n.notificationId(), n.councilOds(), ch);
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DeliveryRecordException("cannot store notification " + n.notificationId(), e);
        }
    }

    public Optional<NotificationRecord> findNotification(String notificationId) {
        String sql = "SELECT notification_id, attendance_control_id, flag_id, council_ods, event, fallback_used, created_at,"
                + " bundle_json FROM notification WHERE notification_id = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, notificationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NotificationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), rs.getObject(7, OffsetDateTime.class), rs.getString(8)));
            }
        } catch (SQLException e) {
            throw new DeliveryRecordException("cannot read notification " + notificationId, e);
        }
    }

    /** Records a pending delivery; false when that notification already has one on that channel. */
    public boolean createDelivery(String notificationId, String councilOds, ChannelType channel) {
        try (Connection c = ds.getConnection()) {
            insertDelivery(c, notificationId, councilOds, channel);
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw new DeliveryRecordException("cannot record delivery " + notificationId + "/" + channel.code(), e);
        }
    }

    private void insertDelivery(Connection c, String notificationId, String councilOds, ChannelType channel) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (notification_id, council_ods, channel, status,"
                + " attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)")) {
            OffsetDateTime now = now();
            ps.setString(1, notificationId);
            ps.setString(2, councilOds);
            ps.setString(3, channel.code());
            ps.setString(4, DeliveryStatus.PENDING.code());
            ps.setObject(5, now);
            ps.setObject(6, now);
            ps.executeUpdate();
        }
    }

    /** Counts an attempt that delivered. False when the record was already delivered (or is missing). */
    public boolean recordDelivered(String notificationId, ChannelType channel) {
        OffsetDateTime now = now();
        return update("UPDATE delivery SET status = ?, attempts = attempts + 1, last_error = NULL, updated_at = ?,"
                + " delivered_at = ?, next_attempt_at = NULL WHERE notification_id = ? AND channel = ? AND status <> ?",
                notificationId, channel, DeliveryStatus.DELIVERED.code(), now, now, notificationId, channel.code(),
                DeliveryStatus.DELIVERED.code()) == 1;
    }

    /**
     * Counts an attempt that failed and will be retried at {@code nextAttempt} (may be null).
     * A delivered or dead-lettered record is left alone (returns false).
     */
    public boolean recordRetry(String notificationId, ChannelType channel, String error, Instant nextAttempt) {
        return update("UPDATE delivery SET status = ?, attempts = attempts + 1, last_error = ?, updated_at = ?,"
                + " next_attempt_at = ? WHERE notification_id = ? AND channel = ? AND status IN (?, ?)",
                notificationId, channel, DeliveryStatus.FAILED.code(), cut(error), now(),
                nextAttempt == null ? NULL_TIMESTAMP : OffsetDateTime.ofInstant(nextAttempt, ZoneOffset.UTC),
                notificationId, channel.code(), DeliveryStatus.PENDING.code(), DeliveryStatus.FAILED.code()) == 1;
    }

    /**
     * Gives up on a delivery. {@code countAttempt} is true when this follows a failed attempt (a fatal
     * answer), false when retries simply ran out. A delivered record is left alone (returns false).
     */
    public boolean recordDeadLetter(String notificationId, ChannelType channel, String error, boolean countAttempt) {
        return update("UPDATE delivery SET status = ?, attempts = attempts + ?, last_error = ?, updated_at = ?,"
                + " next_attempt_at = NULL WHERE notification_id = ? AND channel = ? AND status <> ?",
                notificationId, channel, DeliveryStatus.DEAD_LETTER.code(), countAttempt ? 1 : 0, cut(error), now(),
                notificationId, channel.code(), DeliveryStatus.DELIVERED.code()) == 1;
    }

    public Optional<DeliveryRecord> find(String notificationId, ChannelType channel) {
        List<DeliveryRecord> l = query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE notification_id = ? AND channel = ?",
                notificationId, channel.code());
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public List<DeliveryRecord> forNotification(String notificationId) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE notification_id = ? ORDER BY channel", notificationId);
    }

    /** Deliveries still to do (pending or failed), oldest first: what to resume after a restart. */
    public List<DeliveryRecord> unfinished() {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE status IN (?, ?) ORDER BY created_at, id",
                DeliveryStatus.PENDING.code(), DeliveryStatus.FAILED.code());
    }

    public List<DeliveryRecord> withStatus(DeliveryStatus status) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE status = ? ORDER BY created_at, id", status.code());
    }

    /** Number of delivery records per status (every status present, zero when none). */
    public Map<DeliveryStatus, Long> countByStatus() {
        Map<DeliveryStatus, Long> m = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            m.put(s, 0L);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, COUNT(*) FROM delivery GROUP BY status"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(DeliveryStatus.fromCode(rs.getString(1)), rs.getLong(2));
            }
            return m;
        } catch (SQLException e) {
            throw new DeliveryRecordException("cannot count deliveries", e);
        }
    }

    private int update(String sql, String notificationId, ChannelType channel, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] == NULL_TIMESTAMP) {
                    ps.setNull(i + 1, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                } else if (params[i] == null) {
                    ps.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeliveryRecordException("cannot update delivery " + notificationId + "/" + channel.code(), e);
        }
    }

    private List<DeliveryRecord> query(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<DeliveryRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeliveryRecord(rs.getLong(1), rs.getString(2), rs.getString(3), ChannelType.fromCode(rs.getString(4)),
                            DeliveryStatus.fromCode(rs.getString(5)), rs.getInt(6), rs.getString(7),
                            rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                            rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeliveryRecordException("cannot read deliveries", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String cut(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= 400 ? error : error.substring(0, 397) + "...";
    }

    /** SQLSTATE class 23505 (unique violation) on both H2 and PostgreSQL. */
    private static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
