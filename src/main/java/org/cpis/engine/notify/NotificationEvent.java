package org.cpis.engine.notify;

/**
 * What a notification tells the council. Codes are those of the project's own CodeSystem
 * {@value NotificationCodes#EVENT_SYSTEM}.
 */
public enum NotificationEvent {
    /** A flagged child attended (arrival or admission). */
    ATTENDANCE_NOTIFICATION("attendance-notification", "Attendance notification",
            NotificationCodes.MESSAGE_DEFINITION_NOTIFICATION),
    /** An attendance that was notified has been cancelled by the care setting (A11 and similar). */
    ATTENDANCE_CANCELLATION("attendance-cancellation", "Attendance cancellation",
            NotificationCodes.MESSAGE_DEFINITION_CANCELLATION);

    private final String code;
    private final String display;
    private final String messageDefinition;

    NotificationEvent(String code, String display, String messageDefinition) {
        this.code = code;
        this.display = display;
        this.messageDefinition = messageDefinition;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    /** Canonical URL of the MessageDefinition for this event. */
    public String messageDefinition() {
        return messageDefinition;
    }

    public static NotificationEvent fromCode(String code) {
        for (NotificationEvent e : values()) {
            if (e.code.equals(code)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown notification event code: " + code);
    }
}
