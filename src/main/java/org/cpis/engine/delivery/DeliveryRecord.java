package org.cpis.engine.delivery;

import java.time.OffsetDateTime;

/** One row of the delivery table: a notification on one channel. */
public record DeliveryRecord(long id, String notificationId, String councilOds, ChannelType channel, DeliveryStatus status,
        int attempts, String lastError, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deliveredAt,
        OffsetDateTime nextAttemptAt) {
}
