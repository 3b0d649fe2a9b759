package org.cpis.engine.decision;

/** What a decision asks the notify stage to send. */
public enum NotificationEvent {
    /** Tell the council the child attended. */
    NOTIFY,
    /** Tell the council an attendance it was told about was cancelled (A11). */
    CANCEL;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
