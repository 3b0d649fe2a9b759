package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the message cannot be stored the answer is AE, never AA; once the store is back, AA. */
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
            // An AE must not leave a duplicate key behind, or the sender's retry would be lost.
            assertThat(fx.queryLong("SELECT COUNT(*) FROM camel_messageprocessed WHERE messageid LIKE ?", "%|" + id))
                    .isZero();

            fx.engine().broker().restartEmbedded();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> fx.send(msg).code().equals("AA"));
            assertThat(fx.engine().health().states()).containsEntry("broker", "UP");
            assertThat(fx.healthStatus()).isEqualTo(200);
            assertThat(MllpFramingIT.queuedCount(fx, id)).isEqualTo(1);
        }
    }

    @Test
    void databaseDownGivesAeThenAaOnceItIsBack(@TempDir Path dataDir, @TempDir Path pgDir) throws Exception {
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
            String id = Hl7.controlId("DB");
            String msg = Hl7.adt("2.4", "A04", id);
            Ack down = fx.send(msg);
            assertThat(down.code()).isEqualTo("AE");
            assertThat(down.controlId()).isEqualTo(id);
            assertThat(down.error()).contains("207");

            pg = startPostgres(pgPort, pgDir);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> fx.send(msg).code().equals("AA"));
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.processedCount(id) == 1);
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.healthStatus() == 200);
        } finally {
            pg.close();
        }
    }

    private static EmbeddedPostgres startPostgres(int port, Path dir) throws Exception {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir).setCleanDataDirectory(false).start();
    }
}
