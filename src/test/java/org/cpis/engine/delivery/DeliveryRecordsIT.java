package org.cpis.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.cpis.engine.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DeliveryRecords on a real H2 (PostgreSQL mode, as the engine opens it) and a real PostgreSQL. */
class DeliveryRecordsIT {
    private static EmbeddedPostgres pg;
    private static Database h2;
    private static Database postgres;

    @BeforeAll
    static void start() throws Exception {
        h2 = Database.open("jdbc:h2:mem:delivery-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "", "", 4);
        pg = EmbeddedPostgres.start();
        postgres = Database.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", 4);
    }

    @AfterAll
    static void stop() throws Exception {
        h2.close();
        postgres.close();
        pg.close();
    }

    private static DeliveryRecords records(String db) {
        return new DeliveryRecords(("h2".equals(db) ? h2 : postgres).dataSource());
    }

    private static NotificationRecord notification(String id) {
        return new NotificationRecord(id, "MSG0001", "cpp-1", "TSTC2", "attendance-notification", false,
                OffsetDateTime.of(2026, 11, 25, 10, 15, 30, 0, ZoneOffset.UTC), "{\"resourceType\":\"Bundle\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void storesANotificationOnceWithAPendingDeliveryPerChannel(String db) {
        DeliveryRecords r = records(db);
        String id = "n-" + UUID.randomUUID();
        assertThat(r.saveNotificationWithDeliveries(notification(id), List.of(ChannelType.FHIR, ChannelType.EMAIL))).isTrue();
        assertThat(r.saveNotificationWithDeliveries(notification(id), List.of(ChannelType.FHIR))).isFalse();
        assertThat(r.saveNotification(notification(id))).isFalse();
        NotificationRecord back = r.findNotification(id).orElseThrow();
        assertThat(back.bundleJson()).isEqualTo("{\"resourceType\":\"Bundle\"}");
        assertThat(back.createdAt().toInstant()).isEqualTo(Instant.parse("2026-11-25T10:15:30Z"));
        assertThat(back.toString()).doesNotContain("resourceType");
        assertThat(r.forNotification(id)).extracting(DeliveryRecord::channel, DeliveryRecord::status, DeliveryRecord::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChannelType.EMAIL, DeliveryStatus.PENDING, 0),
                        org.assertj.core.groups.Tuple.tuple(ChannelType.FHIR, DeliveryStatus.PENDING, 0));
        assertThat(r.createDelivery(id, "TSTC2", ChannelType.FHIR)).isFalse();
        assertThat(r.unfinished()).extracting(DeliveryRecord::notificationId).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void walksRetryThenDeliveredAndStaysDelivered(String db) {
        DeliveryRecords r = records(db);
        String id = "n-" + UUID.randomUUID();
        r.saveNotification(notification(id));
        r.createDelivery(id, "TSTC2", ChannelType.FHIR);
        Instant next = Instant.parse("2026-11-25T10:16:00Z");
        assertThat(r.recordRetry(id, ChannelType.FHIR, "HTTP 503 from http://x/$process-message", next)).isTrue();
        assertThat(r.recordRetry(id, ChannelType.FHIR, "x".repeat(1000), null)).isTrue();
        DeliveryRecord failed = r.find(id, ChannelType.FHIR).orElseThrow();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.lastError()).hasSize(400);
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(r.recordDelivered(id, ChannelType.FHIR)).isTrue();
        assertThat(r.recordDelivered(id, ChannelType.FHIR)).isFalse();
        assertThat(r.recordRetry(id, ChannelType.FHIR, "late", next)).isFalse();
        assertThat(r.recordDeadLetter(id, ChannelType.FHIR, "late", true)).isFalse();
        DeliveryRecord done = r.find(id, ChannelType.FHIR).orElseThrow();
        assertThat(done.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.lastError()).isNull();
        assertThat(done.deliveredAt()).isNotNull();
        assertThat(r.unfinished()).extracting(DeliveryRecord::notificationId).doesNotContain(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void deadLettersAFatalFailure(String db) {
        DeliveryRecords r = records(db);
        String id = "n-" + UUID.randomUUID();
        r.saveNotification(notification(id));
        r.createDelivery(id, "TSTC2", ChannelType.EMAIL);
        long before = r.countByStatus().get(DeliveryStatus.DEAD_LETTER);
        assertThat(r.recordDeadLetter(id, ChannelType.EMAIL, "SMTP 550 mailbox unavailable", true)).isTrue();
        DeliveryRecord dl = r.find(id, ChannelType.EMAIL).orElseThrow();
        assertThat(dl.status()).isEqualTo(DeliveryStatus.DEAD_LETTER);
        assertThat(dl.attempts()).isEqualTo(1);
        assertThat(r.withStatus(DeliveryStatus.DEAD_LETTER)).extracting(DeliveryRecord::notificationId).contains(id);
        assertThat(r.countByStatus().get(DeliveryStatus.DEAD_LETTER)).isEqualTo(before + 1);
    }
}
