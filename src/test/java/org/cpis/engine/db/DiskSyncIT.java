package org.cpis.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk sync on a real H2 file database: runs for its admin, is skipped (not failed) for another user. */
class DiskSyncIT {
    @TempDir
    Path dir;

    @Test
    void syncsAnH2FileDatabaseAndLeavesOthersAlone() throws Exception {
        assertThat(DiskSync.isH2File(Database.defaultUrl(dir))).isTrue();
        assertThat(DiskSync.isH2File("jdbc:h2:mem:x")).isFalse();
        assertThat(DiskSync.isH2File("jdbc:postgresql://localhost/cpis")).isFalse();
        try (Database db = Database.open(Database.defaultUrl(dir), "", "", 2)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (k INT)");
                st.execute("INSERT INTO t VALUES (1)");
            }
            new DiskSync(db.dataSource()).sync();
        }
    }

    @Test
    void aUserThatMayNotSyncIsSkippedWithoutFailingItsCommits() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("cpis").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Database db = Database.open(Database.defaultUrl(dir), "", "", 2)) {
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (k INT)");
                st.execute("CREATE USER clerk PASSWORD 'clerk'");
                st.execute("GRANT SELECT, INSERT ON t TO clerk");
            }
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setUsername("clerk");
            hc.setPassword("clerk");
            try (HikariDataSource clerk = new HikariDataSource(hc)) {
                try (Connection c = clerk.getConnection(); Statement st = c.createStatement()) {
                    st.execute("CHECKPOINT SYNC");
                    throw new AssertionError("the clerk was allowed to CHECKPOINT");
                } catch (SQLException e) {
                    assertThat(e.getErrorCode()).isEqualTo(DiskSync.ADMIN_RIGHTS_REQUIRED);
                }
                for (int i = 0; i < 2; i++) {
                    try (Connection c = clerk.getConnection(); Statement st = c.createStatement()) {
                        st.execute("INSERT INTO t VALUES (" + i + ")");
                        DiskSync.afterCommit(c);
                    }
                }
            }
        }
    }
}
