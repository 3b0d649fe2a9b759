package org.cpis.engine.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.cpis.engine.config.EngineConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's database: H2 in file mode under the data folder by default, or any PostgreSQL
 * by {@code cpis.db.url}. Flyway applies the same migrations to both at start.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final boolean postgres;
    private final GroupCommit groupCommit;
    /** See {@code cpis.db.commit-interval} in application.properties. */
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);
    /** Rows at which a group commit stops waiting out the interval (at 500 msg/s 10 ms gathers ~10). */
    static final int ENOUGH_ROWS = 32;

    private Database(HikariDataSource dataSource, boolean postgres, Duration commitInterval, GroupCommit.Work afterCommit) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        // The per-message records (received messages) share commits; see GroupCommit.
        // A commit already carrying two full routine batches (2 x 16 rows) is a backlog: it goes at once.
        this.groupCommit = new GroupCommit(dataSource, 256, Duration.ofSeconds(10), commitInterval,
                ENOUGH_ROWS, afterCommit);
    }

    /** JDBC URL of the default H2 database under {@code dataDir}. */
    public static String defaultUrl(Path dataDir) {
        // PostgreSQL mode and lower-case identifiers keep the SQL the same on both databases.
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("cpis").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                // Write each commit to the file at once: the default 500 ms delay loses commits when the JVM is killed.
                + ";WRITE_DELAY=0"
                // The engine closes the database last, after the stages have finished what they hold. H2's own
                // exit hook closed it first, under consumers still working: errors and rollbacks at every stop.
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public static Database open(EngineConfig config) {
        String url = config.get("cpis.db.url", "");
        if (url.isEmpty()) {
            url = defaultUrl(config.dataDir());
        }
        return open(url, config.get("cpis.db.user", ""), config.get("cpis.db.password", ""),
                config.getInt("cpis.db.pool-size", 16), config.getDuration("cpis.db.commit-interval", DEFAULT_COMMIT_INTERVAL));
    }

    public static Database open(String url, String user, String password, int poolSize) {
        return open(url, user, password, poolSize, DEFAULT_COMMIT_INTERVAL);
    }

    public static Database open(String url, String user, String password, int poolSize, Duration commitInterval) {
        if (url.startsWith("jdbc:h2:file:")) {
            awaitH2FileLock(url, user, password);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (!user.isEmpty()) {
            hc.setUsername(user);
        }
        if (!password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setPoolName("cpis-db");
        // Fail fast when the database is down, so intake can answer AE instead of hanging the sender.
        hc.setConnectionTimeout(3000);
        hc.setValidationTimeout(1000);
        hc.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(hc);
        boolean pg = url.startsWith("jdbc:postgresql:");
        Database db = new Database(ds, pg, commitInterval, h2FileSync(url));
        db.migrate();
        LOG.info("Database ready: {}", pg ? "PostgreSQL" : url.startsWith("jdbc:h2:") ? "H2" : "JDBC");
        return db;
    }

    /**
     * H2 writes each commit to the file but never asks the disk to keep it: a power cut could lose
     * commits made before the broker (which does sync) acknowledged their messages, and the
     * unsynced writes pile up for the kernel to flush every 30 s, a burst that held every ACK up
     * (the journal's sync waits behind it) for 200-450 ms. So each group commit (the received-message
     * rows and duplicate keys) is followed by {@link DiskSync}, which syncs the whole file and with it
     * every other writer's commits so far. PostgreSQL syncs its own log; H2 in memory has no file.
     */
    static GroupCommit.Work h2FileSync(String url) {
        return DiskSync.isH2File(url) ? DiskSync::afterCommit : null;
    }

    /**
     * After a crash H2 needs a few seconds to take over the lock file the dead process left, longer
     * than the pool's 3 s fail-fast timeout: open one connection without that timeout first, so a
     * restart straight after a kill starts instead of exiting.
     */
    private static void awaitH2FileLock(String url, String user, String password) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password)) {
            c.isValid(1);
        } catch (java.sql.SQLException e) {
            // The pool below reports the failure with its own message.
            LOG.debug("H2 first connection failed: {}", e.toString());
        }
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The shared group-commit writer for small per-message writes. */
    public GroupCommit groupCommit() {
        return groupCommit;
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** True when a connection can be had and answers within a second. */
    public boolean isHealthy() {
        try (var c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        groupCommit.close();
        dataSource.close();
    }
}
