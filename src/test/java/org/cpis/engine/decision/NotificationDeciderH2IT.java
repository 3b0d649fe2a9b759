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

    @org.junit.jupiter.api.Test
    void unflaggedAttendancesNeedNoDatabaseAndAFailingDatabaseIsReportedWithoutData() {
        Database down = Database.open("jdbc:h2:mem:down;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "", "", 2);
        down.close();
        NotificationDecider d = new NotificationDecider(down.dataSource(), java.time.Clock.systemUTC());
        org.assertj.core.api.Assertions.assertThat(d.decide(event("A04", org.cpis.engine.attendance.EventKind.ARRIVAL,
                "VIS-SECRET-1", "C1"), java.util.List.of())).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.decide(event("A04",
                org.cpis.engine.attendance.EventKind.ARRIVAL, "VIS-SECRET-1", "C1"), java.util.List.of(CPP)))
                .isInstanceOf(DecisionStoreException.class).hasMessageNotContaining("VIS-SECRET-1")
                .hasMessageNotContaining(CHILD);
    }

    @Override
    DataSource dataSource() {
        return db.dataSource();
    }
}
