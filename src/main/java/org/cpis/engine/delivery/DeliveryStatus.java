package org.cpis.engine.delivery;

/** Where one delivery (notification + channel) stands. */
public enum DeliveryStatus {
    /** Recorded, not tried yet. */
    PENDING("pending"),
    /** The last try failed with a retryable error; another will follow. */
    FAILED("failed"),
    /** The council took it. */
    DELIVERED("delivered"),
    /** Given up (fatal error, or retries exhausted); an operator must act. */
    DEAD_LETTER("dead-letter");

    private final String code;

    DeliveryStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DeliveryStatus fromCode(String code) {
        for (DeliveryStatus s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown delivery status " + code);
    }
}
