package org.cpis.engine.delivery;

import java.time.OffsetDateTime;

/**
 * A notification as stored: enough to redeliver it after a crash.
 *
 * @param notificationId the stable id (Bundle.identifier)
 * @param attendanceControlId MSH-10 of the attendance message
 * @param flagId logical id of the matched flag in the flag store
 * @param councilOds the flag's council (the requested one, even when the fallback was used)
 * @param event notification event code ({@code attendance-notification} / {@code attendance-cancellation})
 * @param fallbackUsed true when the council was missing from the directory
 * @param createdAt when it was recorded
 * @param bundleJson the message Bundle as JSON
 */
public record NotificationRecord(String notificationId, String attendanceControlId, String flagId, String councilOds,
        String event, boolean fallbackUsed, OffsetDateTime createdAt, String bundleJson) {

    @Override
    public String toString() {
        // The Bundle holds patient data: never in a log line.
        return "NotificationRecord[" + notificationId + ", " + councilOds + ", " + event + "]";
    }
}
