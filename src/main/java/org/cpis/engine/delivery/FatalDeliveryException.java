package org.cpis.engine.delivery;

/** A failure that retrying will not mend: other 4xx, a malformed answer, SMTP 5xx, bad credentials. Dead-letter. */
public final class FatalDeliveryException extends DeliveryException {
    public FatalDeliveryException(ChannelType channel, String message, Throwable cause) {
        super(channel, message, cause);
    }

    public FatalDeliveryException(ChannelType channel, String message) {
        this(channel, message, null);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
