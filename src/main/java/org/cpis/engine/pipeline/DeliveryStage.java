package org.cpis.engine.pipeline;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpis.engine.delivery.ChannelType;
import org.cpis.engine.delivery.DeliveryException;
import org.cpis.engine.delivery.DeliveryRecord;
import org.cpis.engine.delivery.DeliveryRecords;
import org.cpis.engine.delivery.DeliveryService;
import org.cpis.engine.delivery.RetryPolicy;

/**
 * The delivery stage ({@code deliver-notification}): one attempt of one notification on one
 * channel. A retryable failure puts the task back on the queue with an Artemis scheduled-delivery
 * time (exponential back-off, durable across restarts); past the give-up time, or on a fatal answer,
 * the delivery is dead-lettered and an operator alert raised.
 */
public final class DeliveryStage {
    private final DeliveryService delivery;
    private final DeliveryRecords records;
    private final RetryPolicy policy;
    private final OperatorAlerts alerts;
    private final PipelineStats stats;
    private final Clock clock;

    public DeliveryStage(DeliveryService delivery, DeliveryRecords records, RetryPolicy policy, OperatorAlerts alerts,
            PipelineStats stats, Clock clock) {
        this.delivery = delivery;
        this.records = records;
        this.policy = policy;
        this.alerts = alerts;
        this.stats = stats;
        this.clock = clock;
    }

    /** Turns a task {@code notificationId|channel} (from the lookup stage's split) into headers. */
    public void task(Exchange exchange) {
        Message m = exchange.getMessage();
        String task = m.getBody(String.class);
        int bar = task.indexOf('|');
        m.setHeader(StageHeaders.NOTIFICATION_ID, task.substring(0, bar));
        m.setHeader(StageHeaders.CHANNEL, task.substring(bar + 1));
        m.setBody(task);
    }

    public void attempt(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        String id = m.getHeader(StageHeaders.NOTIFICATION_ID, String.class);
        ChannelType channel = ChannelType.fromCode(m.getHeader(StageHeaders.CHANNEL, String.class));
        m.removeHeader(StageHeaders.SCHEDULED_DELIVERY);
        Instant now = clock.instant();
        DeliveryRecord rec = records.find(id, channel).orElseThrow(() ->
                new IllegalStateException("no delivery record for notification " + id + " on " + channel.code()));
        Instant next = policy.nextAttempt(rec.createdAt().toInstant(), rec.attempts() + 1, now);
        try {
            DeliveryService.Outcome outcome = delivery.attempt(id, channel, next != null ? next : now);
            if (outcome == DeliveryService.Outcome.DELIVERED) {
                stats.count("delivery.delivered." + channel.code());
            }
        } catch (DeliveryException e) {
            if (!e.isRetryable()) {
                stats.count("delivery.dead-letter." + channel.code());
                alerts.raise("delivery-dead-letter", "notification " + id + " on " + channel.code()
                        + " refused by the council endpoint: " + e.getMessage(), id);
                return;
            }
            if (next == null) {
                delivery.giveUp(id, channel, e.getMessage());
                stats.count("delivery.dead-letter." + channel.code());
                alerts.raise("delivery-dead-letter", "notification " + id + " on " + channel.code()
                        + " still failing after the retry period: " + e.getMessage(), id);
                return;
            }
            stats.count("delivery.retry." + channel.code());
            m.setHeader(StageHeaders.SCHEDULED_DELIVERY, next.toEpochMilli());
            exchange.setProperty(StageHeaders.NEXT, "retry");
        }
    }
}
