package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.cpis.engine.db.Database;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake's duplicate check on a real H2 database: a new message costs no statement, a copy is
 * known from memory until the attendance stage has written the first copy's row, and from that row
 * afterwards, across a restart too.
 */
class DuplicateGuardIT {
    static final String APP = Hl7.SENDING_APP;
    static final String FAC = Hl7.SENDING_FACILITY;
    static final Duration WINDOW = Duration.ofDays(7);

    @TempDir
    Path dir;
    Database db;
    CountingDataSource counted;
    final AtomicInteger queued = new AtomicInteger();

    @BeforeEach
    void open() {
        db = Database.open(Database.defaultUrl(dir), "", "", 2);
        counted = new CountingDataSource(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private DuplicateGuard guard(int recentKeys) {
        return new DuplicateGuard(new ReceivedMessages(counted, db.groupCommit(), WINDOW), queued::incrementAndGet,
                new KeyFilter(10_000, 2), new RecentKeys(recentKeys));
    }

    private static String key(String app, String controlId) {
        return Hl7Header.duplicateKey(app, FAC, controlId);
    }

    private boolean seen(DuplicateGuard g, String app, String controlId) {
        return g.contains(key(app, controlId), app, FAC, controlId);
    }

    /** The row the attendance stage writes for a message it took. */
    private void receivedRow(String app, String controlId, Instant receivedAt) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO received_message (message_id, control_id,"
                     + " sending_application, sending_facility, received_at, status) VALUES (?, ?, ?, ?, ?, 'processed')")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, controlId);
            ps.setString(3, app);
            ps.setString(4, FAC);
            ps.setTimestamp(5, Timestamp.from(receivedAt));
            ps.executeUpdate();
        }
    }

    @Test
    void newMessagesCostNoStatementAndACopyIsKnownAtOnce() {
        DuplicateGuard g = guard(100);
        int statements = counted.connections.get();
        for (int i = 0; i < 50; i++) {
            String id = Hl7.controlId("DG" + i);
            assertThat(seen(g, APP, id)).isFalse();
            g.queued(key(APP, id));
        }
        assertThat(counted.connections.get()).as("connections taken for 50 new messages").isEqualTo(statements);
        assertThat(queued).hasValue(50);

        String id = Hl7.controlId("DG7");
        g.queued(key(APP, id));
        assertThat(seen(g, APP, id)).as("a resend before the stage has written its row").isTrue();
        assertThat(seen(g, "OTHERSYS", id)).as("the same MSH-10 from another sender").isFalse();
    }

    @Test
    void aCopyOfAMessageNoLongerRecentIsFoundByItsRow() throws Exception {
        DuplicateGuard g = guard(1);
        String id = Hl7.controlId("DGR");
        g.queued(key(APP, id));
        g.queued(key(APP, Hl7.controlId("DGN"))); // pushes the first out of the recent keys
        assertThat(seen(g, APP, id)).as("queued, its row not yet written: the stage will skip the copy").isFalse();

        receivedRow(APP, id, Instant.now());
        assertThat(seen(g, APP, id)).as("its row written").isTrue();
    }

    @Test
    void keysWithinTheWindowAreLoadedAtStart() throws Exception {
        String recent = Hl7.controlId("DGL");
        String old = Hl7.controlId("DGO");
        receivedRow(APP, recent, Instant.now().minus(Duration.ofDays(6)));
        receivedRow(APP, old, Instant.now().minus(Duration.ofDays(8)));

        DuplicateGuard g = guard(100);
        assertThat(g.load()).isEqualTo(1);
        assertThat(seen(g, APP, recent)).as("received six days ago").isTrue();
        assertThat(seen(g, APP, old)).as("received before the window").isFalse();
    }

    @Test
    void aFailedLookupTakesTheMessageAsNew() throws Exception {
        String id = Hl7.controlId("DGF");
        receivedRow(APP, id, Instant.now());
        DuplicateGuard g = guard(100);
        g.load();
        db.close(); // the database goes away
        assertThat(seen(g, APP, id)).as("queued again; the attendance stage skips it").isFalse();
    }

    /** The real data source, counting the connections taken: each statement here takes one. */
    static final class CountingDataSource implements DataSource {
        final DataSource real;
        final AtomicInteger connections = new AtomicInteger();

        CountingDataSource(DataSource real) {
            this.real = real;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return real.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            connections.incrementAndGet();
            return real.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return real.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            real.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            real.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return real.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return real.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return real.isWrapperFor(iface);
        }
    }
}
