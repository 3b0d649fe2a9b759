package org.cpis.engine.decision;

import java.util.UUID;
import org.cpis.engine.lookup.FlagMatch;

/**
 * One notification to send. Its id is derived from the attendance key, the flag, the event and the
 * generation, so a redelivered message after a crash yields the same id and the notify stage (and
 * the council) can drop the duplicate.
 *
 * @param notificationId stable id of this notification
 * @param event NOTIFY or CANCEL
 * @param attendanceKey sender + visit number (or control id), see {@link AttendanceKeys}
 * @param flag the flag (for CANCEL, {@code flag.flag()} is null when the current lookup no longer returns it)
 * @param councilOds council to tell (null if the flag names none: the directory's fallback applies)
 * @param generation 1, or more when a cancelled attendance was notified again
 * @param cancelsNotificationId for CANCEL, the id of the notification it withdraws; else null
 */
public record NotificationDecision(UUID notificationId, NotificationEvent event, String attendanceKey,
        FlagMatch flag, String councilOds, int generation, UUID cancelsNotificationId) {
}
