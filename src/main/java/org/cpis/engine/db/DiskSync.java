package org.cpis.engine.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what a connection has committed survive a power cut. H2 writes each commit to its file but
 * never asks the disk to keep it (PostgreSQL syncs its own log at commit), so on an H2 file
 * database this runs {@code CHECKPOINT SYNC}, which syncs the whole file: every writer's commits so
 * far. The group commit runs it after each commit; writers that answer someone outside the engine
 * (the flag store's 201, a delivery's record before its queue message is taken) call it after
 * theirs. CHECKPOINT needs H2's admin user; with any other user the sync is skipped, with one
 * warning per database.
 */
public final class DiskSync {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSync.class);
    /** H2's "admin rights are required" error. */
    static final int ADMIN_RIGHTS_REQUIRED = 90040;
    /** Database URLs whose user may not sync. */
    private static final Map<String, Boolean> REFUSED = new ConcurrentHashMap<>();

    private final DataSource dataSource;

    /** @param dataSource the database {@link #sync()} syncs */
    public DiskSync(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Bean method: syncs the database's file (H2) or does nothing (PostgreSQL, H2 in memory). */
    public void sync() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            afterCommit(c);
        }
    }

    /** Syncs what {@code c}'s database has committed so far, when it is an H2 file database. */
    public static void afterCommit(Connection c) throws SQLException {
        String url = c.getMetaData().getURL();
        if (!isH2File(url) || REFUSED.containsKey(url)) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            if (e.getErrorCode() != ADMIN_RIGHTS_REQUIRED) {
                throw e;
            }
            if (REFUSED.putIfAbsent(url, Boolean.TRUE) == null) {
                LOG.warn("H2 commits will not be synced to disk (error {}): use the database's admin user", e.getErrorCode());
            }
        }
    }

    static boolean isH2File(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }
}
