package org.cpis.engine.decision;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.lookup.FlagKind;
import org.cpis.engine.lookup.FlagMatch;

/**
 * Decides which notifications an attendance causes, once per attendance and flag (issue 5 §2),
 * backed by the {@code notification_decision} table (V4). Safe with several consumers and with
 * redelivery: the unique key (attendance, flag) lets exactly one insert win, state changes are
 * compare-and-set updates, and a redelivered message gets its own earlier decision back with the
 * same id rather than nothing (so a crash between deciding and queueing loses no notification).
 *
 * <ul>
 * <li>Arrival, admission, update, discharge (and A12/A13, which do not withdraw the attendance):
 *     NOTIFY for each visible flag not yet notified for this attendance. So an A08 of a notified
 *     visit repeats nothing, and the first A08 that brings a verified NHS number notifies.</li>
 * <li>A cancel of the attendance (A11): CANCEL for each flag notified for this attendance, whether
 *     or not the flag is still visible; nothing when nothing was notified.</li>
 * <li>A merge (A40): the lookup already used the surviving NHS number; with a visit number it is
 *     an update of that visit, without one there is no attendance to tell about.</li>
 * <li>After a CANCEL, a new attendance event for the same visit notifies again (generation 2).</li>
 * </ul>
 *
 * <p>Bean name {@code notificationDecider}. No Camel types: the route calls
 * {@link #decide(Attendance, List)} and splits the list.
 */
public final class NotificationDecider {

    private static final String NOTIFIED = "NOTIFIED";
    private static final String CANCELLED = "CANCELLED";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final Clock clock;

    public NotificationDecider(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * @param attendance the mapped event
     * @param matches visible flags from the lookup (may be empty; a cancel needs none). Call this for
     *     every attendance, cancels included: without matches and without a cancel it returns at once.
     * @return the notifications to send, possibly none
     * @throws DecisionStoreException when the database fails (retry the attendance)
     */
    public List<NotificationDecision> decide(Attendance attendance, List<FlagMatch> matches) {
        boolean cancel = AttendanceKeys.cancelsAttendance(attendance);
        if (!cancel && (matches == null || matches.isEmpty())) {
            // The unflagged majority: nothing to decide, no database round trip.
            return List.of();
        }
        String key = AttendanceKeys.attendanceKey(attendance);
        String source = AttendanceKeys.sourceMessage(attendance);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (cancel) {
                return cancel(c, key, source, matches == null ? List.of() : matches);
            }
            if (attendance.kind() == EventKind.MERGE && !AttendanceKeys.hasVisitNumber(attendance)) {
                return List.of();
            }
            List<NotificationDecision> out = new ArrayList<>();
            for (FlagMatch m : matches) {
                NotificationDecision d = notify(c, key, source, m);
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        } catch (SQLException e) {
            // SQL state only: no values from the statement (they include the visit number).
            // The cause is not kept: H2 puts the row values (visit number) into its messages.
            throw new DecisionStoreException("notification decision failed (SQL state " + e.getSQLState() + ", vendor code "
                    + e.getErrorCode() + ")", null);
        }
    }

    private NotificationDecision notify(Connection c, String key, String source, FlagMatch m) throws SQLException {
        if (m.flagId() == null) {
            return null;
        }
        UUID id = AttendanceKeys.notificationId(key, m.flagId(), NotificationEvent.NOTIFY, 1);
        if (insert(c, key, m, id, source)) {
            return new NotificationDecision(id, NotificationEvent.NOTIFY, key, m, m.councilOds(), 1, null);
        }
        // Lost the insert: the row exists. Loop because a concurrent consumer may change it under us.
        for (int attempt = 0; attempt < 5; attempt++) {
            Row row = read(c, key, m.flagId());
            if (row == null) {
                return null;
            }
            if (NOTIFIED.equals(row.state)) {
                return source.equals(row.notifySource)
                        ? new NotificationDecision(UUID.fromString(row.notificationId), NotificationEvent.NOTIFY, key, m,
                                row.councilOds, row.generation, null)
                        : null;
            }
            if (source.equals(row.notifySource) || source.equals(row.cancelSource)) {
                // A redelivery of the message that notified (or cancelled) before: the cancel stands.
                return null;
            }
            int gen = row.generation + 1;
            UUID again = AttendanceKeys.notificationId(key, m.flagId(), NotificationEvent.NOTIFY, gen);
            if (renotify(c, row, again, source, m)) {
                return new NotificationDecision(again, NotificationEvent.NOTIFY, key, m, m.councilOds(), gen, null);
            }
        }
        throw new DecisionStoreException("notification decision kept changing under concurrent updates", null);
    }

    private List<NotificationDecision> cancel(Connection c, String key, String source, List<FlagMatch> matches)
            throws SQLException {
        List<NotificationDecision> out = new ArrayList<>();
        for (Row row : readAll(c, key)) {
            FlagMatch current = matches.stream().filter(x -> row.flagId.equals(x.flagId())).findFirst()
                    .orElseGet(() -> new FlagMatch(row.flagId, FlagKind.fromShortName(row.flagKind).orElse(null),
                            row.councilOds, row.councilName, null, null));
            UUID notified = UUID.fromString(row.notificationId);
            if (NOTIFIED.equals(row.state)) {
                UUID id = AttendanceKeys.notificationId(key, row.flagId, NotificationEvent.CANCEL, row.generation);
                if (markCancelled(c, row, id, source)) {
                    out.add(new NotificationDecision(id, NotificationEvent.CANCEL, key, current, row.councilOds,
                            row.generation, notified));
                    continue;
                }
                // A concurrent consumer cancelled it first; fall through to see whether it was this message.
                Row now = read(c, key, row.flagId);
                if (now != null && CANCELLED.equals(now.state) && source.equals(now.cancelSource)) {
                    out.add(redeliveredCancel(key, current, now));
                }
            } else if (source.equals(row.cancelSource)) {
                out.add(redeliveredCancel(key, current, row));
            }
        }
        return out;
    }

    private static NotificationDecision redeliveredCancel(String key, FlagMatch m, Row row) {
        return new NotificationDecision(UUID.fromString(row.cancellationId), NotificationEvent.CANCEL, key, m,
                row.councilOds, row.generation, UUID.fromString(row.notificationId));
    }

    private boolean insert(Connection c, String key, FlagMatch m, UUID id, String source) throws SQLException {
        String sql = "INSERT INTO notification_decision (attendance_key, flag_id, flag_kind, council_ods, council_name,"
                + " state, generation, notification_id, notify_source, notified_at) VALUES (?,?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            ps.setString(2, m.flagId());
            ps.setString(3, m.kind() == null ? "unknown" : m.kind().shortName());
            ps.setString(4, m.councilOds());
            ps.setString(5, truncate(m.councilName(), 200));
            ps.setString(6, NOTIFIED);
            ps.setInt(7, 1);
            ps.setString(8, id.toString());
            ps.setString(9, source);
            ps.setTimestamp(10, Timestamp.from(clock.instant()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private boolean renotify(Connection c, Row row, UUID id, String source, FlagMatch m) throws SQLException {
        String sql = "UPDATE notification_decision SET state = ?, generation = ?, notification_id = ?, notify_source = ?,"
                + " council_ods = ?, council_name = ?, notified_at = ?, cancellation_id = NULL, cancel_source = NULL,"
                + " cancelled_at = NULL WHERE id = ? AND state = ? AND generation = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, NOTIFIED);
            ps.setInt(2, row.generation + 1);
            ps.setString(3, id.toString());
            ps.setString(4, source);
            ps.setString(5, m.councilOds());
            ps.setString(6, truncate(m.councilName(), 200));
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setLong(8, row.id);
            ps.setString(9, CANCELLED);
            ps.setInt(10, row.generation);
            return ps.executeUpdate() == 1;
        }
    }

    private boolean markCancelled(Connection c, Row row, UUID id, String source) throws SQLException {
        String sql = "UPDATE notification_decision SET state = ?, cancellation_id = ?, cancel_source = ?, cancelled_at = ?"
                + " WHERE id = ? AND state = ? AND generation = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, CANCELLED);
            ps.setString(2, id.toString());
            ps.setString(3, source);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.setLong(5, row.id);
            ps.setString(6, NOTIFIED);
            ps.setInt(7, row.generation);
            return ps.executeUpdate() == 1;
        }
    }

    private static final String COLUMNS = "id, flag_id, flag_kind, council_ods, council_name, state, generation,"
            + " notification_id, notify_source, cancellation_id, cancel_source";

    private Row read(Connection c, String key, String flagId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM notification_decision WHERE attendance_key = ? AND flag_id = ?")) {
            ps.setString(1, key);
            ps.setString(2, flagId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private List<Row> readAll(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM notification_decision WHERE attendance_key = ? ORDER BY id")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private record Row(long id, String flagId, String flagKind, String councilOds, String councilName, String state,
            int generation, String notificationId, String notifySource, String cancellationId, String cancelSource) {
    }
}
