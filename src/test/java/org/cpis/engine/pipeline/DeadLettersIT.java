package org.cpis.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cpis.engine.db.Database;
import org.cpis.engine.testing.EngineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message processed again after its batch rolled back is dead-lettered once per stage, on real H2. */
class DeadLettersIT {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(Database.defaultUrl(dir), "", "", 2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long rows(String sql) {
        return ((Number) EngineFixture.queryColumn(db.dataSource(), sql).get(0)).longValue();
    }

    @Test
    void theSameMessageAndStageIsRecordedOnceAnotherStageOrMessageAgain() throws Exception {
        DeadLetters d = new DeadLetters(db.dataSource());
        byte[] payload = {1, 2, 3};
        d.record("map-attendance", "M1", "C1", "no dialect", payload);
        d.record("map-attendance", "M1", "C1", "no dialect", payload);
        d.record("lookup-flags", "M1", "C1", "other stage", payload);
        d.record("map-attendance", "M2", "C2", "another message", payload);

        assertThat(rows("SELECT COUNT(*) FROM dead_letter WHERE message_id = 'M1'")).isEqualTo(2);
        assertThat(rows("SELECT COUNT(*) FROM dead_letter")).isEqualTo(3);
    }

    @Test
    void aRecordWithoutAMessageIdIsAlwaysWritten() throws Exception {
        DeadLetters d = new DeadLetters(db.dataSource());
        d.record("deliver-notification", null, null, "no id", new byte[] {1});
        d.record("deliver-notification", null, null, "no id", new byte[] {1});

        assertThat(rows("SELECT COUNT(*) FROM dead_letter WHERE message_id IS NULL")).isEqualTo(2);
    }
}
