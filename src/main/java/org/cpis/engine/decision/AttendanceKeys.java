package org.cpis.engine.decision;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.EventKind;

/** Keys and ids the decision logic is built on. */
public final class AttendanceKeys {

    private AttendanceKeys() {
    }

    /** Sender (MSH-4 + MSH-3) + visit number (PV1-19), or + control id (MSH-10) without a visit number. */
    public static String attendanceKey(Attendance a) {
        String sender = sender(a);
        if (a.visitNumber() != null && !a.visitNumber().isBlank()) {
            return "visit|" + sender + "|" + a.visitNumber().trim();
        }
        return "msg|" + sender + "|" + nz(a.messageControlId());
    }

    /** The message that caused a decision: sender + MSH-10. A redelivery has the same value. */
    public static String sourceMessage(Attendance a) {
        return sender(a) + "|" + nz(a.messageControlId());
    }

    public static boolean hasVisitNumber(Attendance a) {
        return a.visitNumber() != null && !a.visitNumber().isBlank();
    }

    /**
     * True for a cancel that withdraws the attendance (A11 cancel admit/visit, A38 cancel pre-admit,
     * or any other event the dialect maps to CANCEL). A12 (cancel transfer) and A13 (cancel
     * discharge) mean the patient is still, or again, in the department: the attendance stands and
     * the council has nothing to withdraw, so they count as updates.
     */
    public static boolean cancelsAttendance(Attendance a) {
        if (a.kind() != EventKind.CANCEL) {
            return false;
        }
        String t = a.triggerEvent() == null ? "" : a.triggerEvent().trim().toUpperCase(Locale.ROOT);
        // A dialect may map some other local cancel to CANCEL; only the known non-attendance
        // cancels are exempt, so an unknown cancel still withdraws (the safer error for the child
        // is an extra cancellation message the council can read, not a silent one).
        return !t.equals("A12") && !t.equals("A13");
    }

    static UUID notificationId(String attendanceKey, String flagId, NotificationEvent event, int generation) {
        String seed = "cpis-notification|" + attendanceKey + "|" + flagId + "|" + event.name() + "|" + generation;
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static String sender(Attendance a) {
        return nz(a.sendingFacility()) + "|" + nz(a.sendingApplication());
    }

    private static String nz(String s) {
        return s == null ? "" : s.trim();
    }
}
