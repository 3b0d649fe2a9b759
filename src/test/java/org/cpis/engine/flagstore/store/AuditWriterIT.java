package org.cpis.engine.flagstore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.cpis.engine.db.Database;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagStoreHarness;
import org.cpis.engine.flagstore.FlagStoreSeeder;
import org.cpis.engine.flagstore.FlagStoreServer;
import org.cpis.engine.flagstore.FlagStoreSettings;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.auth.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Read audit records committed in the background: none lost on close, none before their read commits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditWriterIT {
    Database db;

    @BeforeAll
    void open(@TempDir Path dir) {
        db = Database.open(Database.defaultUrl(dir), "", "", 4);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM fs_audit");
        }
    }

    @Test
    void closeCommitsEverythingStillQueued() throws SQLException {
        AuditWriter w = new AuditWriter(db.dataSource());
        for (int i = 0; i < 12; i++) {
            assertThat(w.offer(entries(i * 100, 100))).isTrue();
        }
        w.close();
        assertThat(reads()).isEqualTo(1200);
        assertThat(w.offer(entries(5000, 1))).as("a closed writer takes nothing").isFalse();
    }

    @Test
    void awaitWrittenSeesEveryEarlierRecord() throws SQLException {
        try (AuditWriter w = new AuditWriter(db.dataSource())) {
            assertThat(w.offer(entries(0, 3))).isTrue();
            w.awaitWritten();
            assertThat(reads()).isEqualTo(3);
        }
    }

    @Test
    void aFullQueueTakesNoneOfTheRecords() throws SQLException {
        try (AuditWriter w = new AuditWriter(db.dataSource(), 10)) {
            assertThat(w.offer(entries(0, 11))).isFalse();
            assertThat(w.offer(entries(100, 10))).isTrue();
            w.awaitWritten();
        }
        assertThat(reads()).isEqualTo(10);
    }

    @Test
    void aBatchTheDatabaseRefusesIsRetriedNotDropped() throws SQLException {
        AtomicInteger refusals = new AtomicInteger(2);
        try (AuditWriter w = new AuditWriter(failingFirst(db.dataSource(), refusals))) {
            assertThat(w.offer(entries(0, 2))).isTrue();
            w.awaitWritten();
        }
        assertThat(refusals.get()).isLessThanOrEqualTo(0);
        assertThat(reads()).isEqualTo(2);
    }

    @Test
    void aReadIsRecordedOnlyWhenItsTransactionCommits() throws Exception {
        FlagStoreServer server = FlagStoreServer.create(db.dataSource(), FlagStoreSettings.of(
                java.time.Clock.fixed(FlagStoreHarness.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC),
                TokenStore.of(Map.of())));
        FlagStoreSeeder.seedDemo(server);
        FlagStore store = server.store();
        SearchParams sp = SearchParams.parse(Map.of("patient:identifier", new String[] {FhirIds.NHS_NUMBER + "|9434765919"}));
        Where w = store.where(Caller.LOOKUP, sp);
        try (Session s = store.open(Caller.LOOKUP, "test")) {
            assertThat(store.page(s, w, 0, 20, false)).hasSize(1);
            // not committed: the read failed as far as the caller knows
        }
        try (Session s = store.open(Caller.LOOKUP, "test")) {
            assertThat(store.page(s, w, 0, 20, false)).hasSize(1);
            s.commit();
        }
        store.close();
        assertThat(reads()).isEqualTo(1);
    }

    @Test
    void aReadTheWriterCannotTakeIsWrittenByItsOwnSession() throws SQLException {
        try (AuditWriter full = new AuditWriter(db.dataSource(), 0)) {
            AuditLog audit = new AuditLog(full);
            try (Session s = new Session(db.dataSource(), Caller.LOOKUP, "127.0.0.1", java.time.Clock.systemUTC(), audit)) {
                audit.recordRead(s, "read", List.of(new AuditLog.Touched(42, 1, "TSTC1")));
                s.commit();
            }
            // No wait for the writer: the session committed the record itself.
            assertThat(reads()).isEqualTo(1);
        }
    }

    private long reads() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM fs_audit WHERE action = 'R'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<AuditLog.Entry> entries(long firstFlag, int n) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<AuditLog.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new AuditLog.Entry(now, "R", "search-type", "lookup", null, "127.0.0.1", firstFlag + i, 1, "TSTC1"));
        }
        return out;
    }

    /** The data source, refusing its first {@code refusals} connections (a database briefly away). */
    private static DataSource failingFirst(DataSource ds, AtomicInteger refusals) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("getConnection") && refusals.getAndDecrement() > 0) {
                        throw new SQLException("database unavailable (test)");
                    }
                    try {
                        return m.invoke(ds, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
