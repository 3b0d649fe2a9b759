package org.cpis.engine.decision;

import javax.sql.DataSource;
import org.cpis.engine.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Decision rules on H2 in PostgreSQL mode (the embedded default), migrated by Flyway. */
class NotificationDeciderH2IT extends NotificationDeciderContract {

    static Database db;

    @BeforeAll
    static void open() {
        db = Database.open("jdbc:h2:mem:decisions;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "", "", 4);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Override
    DataSource dataSource() {
        return db.dataSource();
    }
}
