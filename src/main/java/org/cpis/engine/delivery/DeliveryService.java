package org.cpis.engine.delivery;

import java.time.Instant;
import java.util.function.Supplier;
import org.cpis.engine.notify.Council;
import org.cpis.engine.notify.CouncilDirectory;
import org.cpis.engine.notify.CouncilRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs one delivery attempt of a stored notification on one channel and records the outcome.
 * Reads the council's channel settings from the directory at attempt time, so a corrected endpoint
 * applies to the next retry. A delivery already recorded as delivered is not sent again.
 */
public final class DeliveryService {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    /** What an attempt came to. */
    public enum Outcome {
        DELIVERED, ALREADY_DELIVERED, ALREADY_DEAD_LETTER
    }

    private final DeliveryRecords records;
    private final Supplier<CouncilDirectory> directory;
    private final FhirMessageSender fhir;
    private final EmailSender email;

    /**
     * @param directory the current directory (a supplier, so a reloaded directory is picked up)
     * @param email null when no SMTP server is configured: email deliveries then fail retryably
     */
    public DeliveryService(DeliveryRecords records, Supplier<CouncilDirectory> directory, FhirMessageSender fhir, EmailSender email) {
        this.records = records;
        this.directory = directory;
        this.fhir = fhir;
        this.email = email;
    }

    /**
     * One attempt. On success the record becomes delivered. On a retryable failure the record becomes
     * failed (attempt counted, {@code nextAttempt} stored) and the exception is rethrown for the caller's
     * back-off; on a fatal one it becomes dead-letter and the exception is rethrown.
     */
    public Outcome attempt(String notificationId, ChannelType channel, Instant nextAttempt) throws DeliveryException {
        DeliveryRecord rec = records.find(notificationId, channel).orElseThrow(() ->
                new IllegalStateException("no delivery record for " + notificationId + "/" + channel.code()));
        if (rec.status() == DeliveryStatus.DELIVERED) {
            return Outcome.ALREADY_DELIVERED;
        }
        if (rec.status() == DeliveryStatus.DEAD_LETTER) {
            return Outcome.ALREADY_DEAD_LETTER;
        }
        NotificationRecord n = records.findNotification(notificationId).orElseThrow(() ->
                new IllegalStateException("no stored notification " + notificationId));
        CouncilRoute route = directory.get().resolve(n.councilOds());
        Council target = route.target();
        try {
            switch (channel) {
                case FHIR -> {
                    if (target.fhir() == null) {
                        throw new FatalDeliveryException(channel, "council " + n.councilOds() + " has no fhir channel any more");
                    }
                    fhir.send(target.fhir(), n.bundleJson());
                }
                case EMAIL -> {
                    if (target.email() == null) {
                        throw new FatalDeliveryException(channel, "council " + n.councilOds() + " has no email channel any more");
                    }
                    if (email == null) {
                        throw new RetryableDeliveryException(channel, "no SMTP server configured (cpis.smtp.host)");
                    }
                    email.send(target.email(), n.bundleJson());
                }
                default -> throw new IllegalStateException("unknown channel " + channel);
            }
        } catch (DeliveryException e) {
            if (e.isRetryable()) {
                records.recordRetry(notificationId, channel, e.getMessage(), nextAttempt);
                LOG.warn("Delivery {}/{} to {} failed, will retry: {}", notificationId, channel.code(), n.councilOds(), e.getMessage());
            } else {
                records.recordDeadLetter(notificationId, channel, e.getMessage(), true);
                LOG.error("Delivery {}/{} to {} failed for good (dead-letter): {}", notificationId, channel.code(), n.councilOds(),
                        e.getMessage());
            }
            throw e;
        }
        records.recordDelivered(notificationId, channel);
        LOG.info("Delivered notification {} to {} by {}{}", notificationId, n.councilOds(), channel.code(),
                route.fallbackUsed() ? " (fallback)" : "");
        return Outcome.DELIVERED;
    }

    /** Retries ran out: dead-letter without counting another attempt. */
    public void giveUp(String notificationId, ChannelType channel, String lastError) {
        records.recordDeadLetter(notificationId, channel, lastError, false);
        LOG.error("Delivery {}/{} given up after retries: {}", notificationId, channel.code(), lastError);
    }
}
