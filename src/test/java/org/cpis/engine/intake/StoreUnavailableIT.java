package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the message cannot be queued the answer is AE, never AA; once the broker is back, AA. The
 * database is not needed to queue a message, only to process it.
 */
class StoreUnavailableIT {

    @Test
    void brokerDownGivesAeThenAaOnceItIsBack(@TempDir Path dataDir) throws Exception {
        try (EngineFixture fx = EngineFixture.start(dataDir, Map.of("cpis.pipeline.enabled", "false"))) {
            String before = Hl7.controlId("BRK0");
            assertThat(fx.send(Hl7.adt("2.4", "A04", before)).code()).isEqualTo("AA");

            fx.engine().broker().stopEmbedded();
            assertThat(fx.engine().health().states()).containsEntry("broker", "DOWN");
            assertThat(fx.healthStatus()).as("GET /health while the broker is down").isEqualTo(503);
            String id = Hl7.controlId("BRK");
            String msg = Hl7.adt("2.4", "A04", id);
            Ack down = fx.send(msg);
            assertThat(down.code()).isEqualTo("AE");
            assertThat(down.controlId()).isEqualTo(id);
            assertThat(fx.send(msg).code()).as("still down: a retry is AE again").isEqualTo("AE");

            fx.engine().broker().restartEmbedded();
            AtomicReference<Ack> retried = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                retried.set(fx.send(msg));
                return retried.get().code().equals("AA");
            });
            // An AE must not leave a duplicate key behind, or the sender's retry would be taken for a
            // copy and never queued.
            assertThat(retried.get().text()).doesNotContainIgnoringCase("duplicate");
            assertThat(fx.engine().health().states()).containsEntry("broker", "UP");
            assertThat(fx.healthStatus()).isEqualTo(200);
            assertThat(MllpFramingIT.queuedCount(fx, id)).isEqualTo(1);
        }
    }

    @Test
    void databaseDownStillQueuesAndTheStageCatchesUpOnceItIsBack(@TempDir Path dataDir, @TempDir Path pgDir)
            throws Exception {
        int pgPort = EngineFixture.freePort();
        EmbeddedPostgres pg = startPostgres(pgPort, pgDir);
        try (EngineFixture fx = EngineFixture.start(dataDir, Map.of(
                "cpis.db.url", pg.getJdbcUrl("postgres", "postgres"),
                "cpis.db.user", "postgres", "cpis.db.password", "postgres"))) {
            String before = Hl7.controlId("DB0");
            assertThat(fx.send(Hl7.adt("2.4", "A04", before)).code()).isEqualTo("AA");
            await().atMost(Duration.ofSeconds(20)).until(() -> fx.processedCount(before) == 1);

            pg.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.healthStatus() == 503);
            // The AA rests on the broker's sync, not on the database: intake keeps taking messages.
            String id = Hl7.controlId("DB");
            String msg = Hl7.adt("2.4", "A04", id);
            Ack down = fx.send(msg);
            assertThat(down.code()).isEqualTo("AA");
            assertThat(down.controlId()).isEqualTo(id);
            assertThat(down.text()).doesNotContainIgnoringCase("duplicate");
            // A resend meanwhile is known from memory, without the database.
            Ack resend = fx.send(msg);
            assertThat(resend.code()).isEqualTo("AA");
            assertThat(resend.text()).containsIgnoringCase("duplicate");
            // A message that must be refused still needs the database for its record: AE, so the
            // sender keeps it until the record can be written.
            assertThat(fx.send("MSH|^~\\&|X\rPID|1\r").code()).isEqualTo("AE");

            pg = startPostgres(pgPort, pgDir);
            // The test reads through the engine's pool, which may still be backing off from the outage
            // for its first polls: those fail, and the wait goes on.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> fx.processedCount(id) == 1);
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.healthStatus() == 200);
            assertThat(fx.receivedCount(id)).as("processed once").isEqualTo(1);
        } finally {
            pg.close();
        }
    }

    private static EmbeddedPostgres startPostgres(int port, Path dir) throws Exception {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir).setCleanDataDirectory(false).start();
    }
}
