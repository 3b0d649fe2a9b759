package org.cpis.engine.delivery;

/** A failure that may pass: connection refused, time-out, 5xx, 429, 408, SMTP 4xx. Retry with back-off. */
public final class RetryableDeliveryException extends DeliveryException {
    public RetryableDeliveryException(ChannelType channel, String message, Throwable cause) {
        super(channel, message, cause);
    }

    public RetryableDeliveryException(ChannelType channel, String message) {
        this(channel, message, null);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
