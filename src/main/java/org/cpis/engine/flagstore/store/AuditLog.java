package org.cpis.engine.flagstore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.cpis.engine.flagstore.FhirIds;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * Every read and write of a flag (issue 4 §7): who (role and council), what (flag and version, and the
 * interaction), when, and from where (remote address). Shown to callers as FHIR AuditEvent. Writes are
 * recorded in their own transaction; reads through the {@link AuditWriter}, and every audit query first
 * waits for it, so it sees every read made before it.
 */
final class AuditLog {
    static final String INSERT = "INSERT INTO fs_audit (recorded, action, interaction, who_role, who_ods, remote_addr, "
            + "flag_id, flag_version, council_ods) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One flag touched: id, version and owning council. */
    record Touched(long flagId, int version, String councilOds) {
    }

    /** One audit row as inserted. */
    record Entry(OffsetDateTime recorded, String action, String interaction, String whoRole, String whoOds,
                 String remoteAddr, long flagId, int version, String councilOds) {
    }

    private final AuditWriter writer;

    AuditLog(AuditWriter writer) {
        this.writer = writer;
    }

    /** A write: recorded in the write's own transaction, so the change and its record commit together. */
    void record(Session s, String action, String interaction, long flagId, int version, String councilOds) {
        record(s, action, interaction, List.of(new Touched(flagId, version, councilOds)));
    }

    void record(Session s, String action, String interaction, List<Touched> flags) {
        if (flags.isEmpty()) {
            return;
        }
        try {
            insert(s.statement(INSERT, false), entries(s, action, interaction, flags));
        } catch (SQLException e) {
            throw StoreException.of("write the audit record", e);
        }
    }

    /**
     * A read: kept on the session and handed to the {@link AuditWriter} once the session commits (a
     * read that fails records nothing, as before); written by the session itself if the writer is full.
     */
    void recordRead(Session s, String interaction, List<Touched> flags) {
        if (!flags.isEmpty()) {
            s.pendingReads.addAll(entries(s, "R", interaction, flags));
        }
    }

    /**
     * Called once the session's transaction has committed. The answer has not been sent yet, so if the
     * records cannot be written the request fails and nothing was read unrecorded.
     */
    void afterCommit(Session s) {
        if (s.pendingReads.isEmpty()) {
            return;
        }
        if (!writer.offer(s.pendingReads)) {
            try {
                insert(s.statement(INSERT, false), s.pendingReads);
                s.connection().commit();
            } catch (SQLException e) {
                throw StoreException.of("write the audit record", e);
            }
        }
        s.pendingReads.clear();
    }

    private static List<Entry> entries(Session s, String action, String interaction, List<Touched> flags) {
        List<Entry> out = new ArrayList<>(flags.size());
        for (Touched t : flags) {
            out.add(new Entry(s.now(), action, interaction, s.caller().roleName(), s.caller().ods(), s.remoteAddress(),
                    t.flagId(), t.version(), t.councilOds()));
        }
        return out;
    }

    static void insert(PreparedStatement ps, List<Entry> entries) throws SQLException {
        for (Entry e : entries) {
            ps.setObject(1, e.recorded());
            ps.setString(2, e.action());
            ps.setString(3, e.interaction());
            ps.setString(4, e.whoRole());
            ps.setString(5, e.whoOds());
            ps.setString(6, e.remoteAddr());
            ps.setLong(7, e.flagId());
            ps.setInt(8, e.version());
            ps.setString(9, e.councilOds());
            if (entries.size() == 1) {
                ps.executeUpdate();
            } else {
                ps.addBatch();
            }
        }
        if (entries.size() > 1) {
            ps.executeBatch();
        }
    }

    long count(Session s, Where w) {
        writer.awaitWritten();
        try {
            return Sql.queryLong(s, "SELECT COUNT(*) FROM fs_audit WHERE " + w.sql(), w.params().toArray());
        } catch (SQLException e) {
            throw StoreException.of("count audit records", e);
        }
    }

    List<AuditEvent> page(Session s, Where w, int offset, int limit) {
        writer.awaitWritten();
        String sql = "SELECT id, recorded, action, interaction, who_role, who_ods, remote_addr, flag_id, flag_version, council_ods "
                + "FROM fs_audit WHERE " + w.sql() + " ORDER BY recorded DESC, id DESC LIMIT ? OFFSET ?";
        List<Object> params = new ArrayList<>(w.params());
        params.add(limit);
        params.add(offset);
        try (ResultSet rs = Sql.prepare(s, sql, params).executeQuery()) {
            List<AuditEvent> out = new ArrayList<>();
            while (rs.next()) {
                out.add(toResource(rs));
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.of("read audit records", e);
        }
    }

    AuditEvent read(Session s, long id) {
        Where w = new Where().and("id = ?", id);
        List<AuditEvent> l = page(s, w, 0, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    String councilOf(Session s, long id) {
        writer.awaitWritten();
        try {
            return Sql.queryString(s, "SELECT council_ods FROM fs_audit WHERE id = ?", id);
        } catch (SQLException e) {
            throw StoreException.of("read an audit record", e);
        }
    }

    private static AuditEvent toResource(ResultSet rs) throws SQLException {
        AuditEvent ae = new AuditEvent();
        ae.setId("AuditEvent/" + rs.getLong(1));
        ae.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        String interaction = rs.getString(4);
        ae.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", interaction, interaction));
        ae.setAction(AuditEvent.AuditEventAction.fromCode(rs.getString(3)));
        ae.setRecorded(Date.from(rs.getObject(2, OffsetDateTime.class).toInstant()));
        ae.setOutcome(AuditEvent.AuditEventOutcome._0);
        var agent = ae.addAgent().setRequestor(true);
        String role = rs.getString(5);
        String ods = rs.getString(6);
        agent.addRole().setText(role);
        if (ods != null) {
            agent.setWho(new Reference().setIdentifier(
                    new org.hl7.fhir.r4.model.Identifier().setSystem(FhirIds.ODS_CODE).setValue(ods)).setDisplay("council " + ods));
        } else {
            agent.setWho(new Reference().setDisplay(role));
        }
        String remote = rs.getString(7);
        if (remote != null) {
            agent.getNetwork().setAddress(remote).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        ae.getSource().setObserver(new Reference().setDisplay("cpis-engine flag store"));
        var entity = ae.addEntity();
        long flagId = rs.getLong(8);
        int version = rs.getInt(9);
        entity.setWhat(new Reference("Flag/" + flagId + (version > 0 ? "/_history/" + version : "")));
        entity.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
        entity.setName("council " + rs.getString(10));
        return ae;
    }
}
