package org.cpis.engine.attendance;

/** What an ADT trigger means for an attendance. */
public enum EventKind {
    ARRIVAL, ADMISSION, UPDATE, DISCHARGE, CANCEL, MERGE;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
