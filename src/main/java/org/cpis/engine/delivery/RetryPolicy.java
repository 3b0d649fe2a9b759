package org.cpis.engine.delivery;

import java.time.Duration;
import java.time.Instant;
import org.cpis.engine.config.EngineConfig;

/**
 * Exponential back-off for deliveries: the first retry after {@code initialDelay}, each next one
 * {@code multiplier} times later, never more than {@code maxDelay} apart; after {@code giveUpAfter}
 * from the notification's creation the delivery is dead-lettered.
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay, Duration giveUpAfter) {

    public RetryPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero() || multiplier < 1.0 || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry policy needs initial-delay > 0, multiplier >= 1, max-delay >= initial-delay");
        }
    }

    public static RetryPolicy from(EngineConfig c) {
        String m = c.get("cpis.delivery.retry.multiplier", "2");
        double mult;
        try {
            mult = Double.parseDouble(m);
        } catch (NumberFormatException e) {
            throw new org.cpis.engine.config.ConfigException("cpis.delivery.retry.multiplier", "must be a number, got '" + m + "'");
        }
        return new RetryPolicy(c.getDuration("cpis.delivery.retry.initial-delay", Duration.ofSeconds(5)), mult,
                c.getDuration("cpis.delivery.retry.max-delay", Duration.ofHours(1)),
                c.getDuration("cpis.delivery.retry.give-up-after", Duration.ofHours(24)));
    }

    /** Delay before the next try after {@code failedAttempts} failures (1 = the first failure). */
    public Duration delayAfter(int failedAttempts) {
        double ms = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return ms >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) ms);
    }

    /** When to try next, or null when the next try would fall after the give-up time: dead-letter then. */
    public Instant nextAttempt(Instant createdAt, int failedAttempts, Instant now) {
        Instant next = now.plus(delayAfter(failedAttempts));
        return next.isAfter(createdAt.plus(giveUpAfter)) ? null : next;
    }
}
