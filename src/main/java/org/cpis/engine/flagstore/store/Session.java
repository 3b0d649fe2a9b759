package org.cpis.engine.flagstore.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.cpis.engine.db.DiskSync;
import org.cpis.engine.flagstore.auth.Caller;

/**
 * One unit of work against the store: a JDBC connection in a transaction, the caller, where the call
 * came from and the time it happened. A transaction Bundle is one session; so is each plain request.
 */
public final class Session implements AutoCloseable {
    private final Connection connection;
    private final Caller caller;
    private final String remoteAddress;
    private final OffsetDateTime now;
    private final LocalDate today;
    private boolean done;
    /** Whether this session ran anything but a query: only then must its commit reach the disk. */
    private boolean wrote;
    /** Statements prepared once per session: a batch Bundle runs the same few statements a thousand times. */
    private final Map<String, java.sql.PreparedStatement> statements = new HashMap<>();
    /** Ids looked up or created in this session (ODS code / NHS number to row id). */
    final Map<String, Long> orgIds = new HashMap<>();
    final Map<String, Long> patientIds = new HashMap<>();
    final Map<Long, String> orgNames = new HashMap<>();
    /** Audit records of this session's reads, handed on at commit (see {@link AuditLog#recordRead}). */
    final java.util.List<AuditLog.Entry> pendingReads = new java.util.ArrayList<>();
    private final Map<Savepoint, Integer> readMarks = new java.util.IdentityHashMap<>();
    private final AuditLog audit;

    Session(DataSource dataSource, Caller caller, String remoteAddress, Clock clock, AuditLog audit) {
        this.audit = audit;
        try {
            this.connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw StoreException.of("open a database connection", e);
        }
        this.caller = caller;
        this.remoteAddress = remoteAddress;
        // Millisecond precision: what both H2 and PostgreSQL keep and FHIR instants show.
        this.now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        this.today = LocalDate.now(clock);
    }

    public Connection connection() {
        return connection;
    }

    public Caller caller() {
        return caller;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public OffsetDateTime now() {
        return now;
    }

    public LocalDate today() {
        return today;
    }

    java.sql.PreparedStatement statement(String sql, boolean keys) throws SQLException {
        if (!wrote && !isRead(sql)) {
            wrote = true;
        }
        String key = keys ? "K:" + sql : sql;
        java.sql.PreparedStatement ps = statements.get(key);
        if (ps == null) {
            ps = keys ? connection.prepareStatement(sql, new String[] {"id"}) : connection.prepareStatement(sql);
            statements.put(key, ps);
        }
        return ps;
    }

    /** A statement that only reads (a lookup's search must not wait for a disk sync). */
    static boolean isRead(String sql) {
        String head = sql.stripLeading();
        return head.regionMatches(true, 0, "SELECT", 0, 6) || head.regionMatches(true, 0, "WITH", 0, 4);
    }


    public Savepoint savepoint() {
        try {
            Savepoint sp = connection.setSavepoint();
            readMarks.put(sp, pendingReads.size());
            return sp;
        } catch (SQLException e) {
            throw StoreException.of("set a savepoint", e);
        }
    }

    /** Undoes the work since the savepoint; the caches may name rows that are gone, so they are cleared. */
    public void rollbackTo(Savepoint sp) {
        try {
            connection.rollback(sp);
            // Reads undone with the savepoint are not recorded, as when their audit rows rolled back with it.
            Integer mark = readMarks.get(sp);
            pendingReads.subList(mark == null ? 0 : mark, pendingReads.size()).clear();
            orgIds.clear();
            patientIds.clear();
            orgNames.clear();
        } catch (SQLException e) {
            throw StoreException.of("roll back to a savepoint", e);
        }
    }

    public void commit() {
        try {
            connection.commit();
            done = true;
            if (wrote) {
                // The caller is told "created" next: on H2 the write must be on disk first.
                DiskSync.afterCommit(connection);
            }
        } catch (SQLException e) {
            throw StoreException.of("commit", e);
        }
        audit.afterCommit(this);
    }

    @Override
    public void close() {
        for (java.sql.PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // the connection closes next
            }
        }
        try {
            if (!done) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // closing anyway
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                // the pool discards it
            }
        }
    }
}
