package org.cpis.engine.attendance;

/** Whether an attendance's NHS number may be looked up. Only {@link #VALID} ones are. */
public enum NhsNumberStatus {
    /** Present, passes Modulus 11, and verified (or the dialect does not require verification). */
    VALID,
    /** Present but fails Modulus 11 or is not ten digits. */
    INVALID,
    /** Valid, but PID-32 does not say it was traced and verified. */
    UNVERIFIED,
    /** No NHS number found. */
    MISSING;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
