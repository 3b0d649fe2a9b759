package org.cpis.engine.delivery;

/**
 * A delivery that did not succeed. {@link #isRetryable()} tells the caller whether to try again with
 * back-off ({@link RetryableDeliveryException}) or to dead-letter at once ({@link FatalDeliveryException}).
 * Messages never carry patient data: only the channel, the endpoint, status codes and error kinds.
 */
public abstract class DeliveryException extends Exception {
    private final ChannelType channel;

    protected DeliveryException(ChannelType channel, String message, Throwable cause) {
        super(message, cause);
        this.channel = channel;
    }

    public ChannelType channel() {
        return channel;
    }

    public abstract boolean isRetryable();
}
