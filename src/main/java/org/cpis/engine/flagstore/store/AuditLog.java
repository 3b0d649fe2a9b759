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
 * interaction), when, and from where (remote address). Shown to callers as FHIR AuditEvent.
 */
final class AuditLog {
    static final String INSERT = "INSERT INTO fs_audit (recorded, action, interaction, who_role, who_ods, remote_addr, "
            + "flag_id, flag_version, council_ods) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One flag touched: id, version and owning council. */
    record Touched(long flagId, int version, String councilOds) {
    }

    void record(Session s, String action, String interaction, long flagId, int version, String councilOds) {
        record(s, action, interaction, List.of(new Touched(flagId, version, councilOds)));
    }

    void record(Session s, String action, String interaction, List<Touched> flags) {
        if (flags.isEmpty()) {
            return;
        }
        try {
            PreparedStatement ps = s.statement(INSERT, false);
            for (Touched t : flags) {
                ps.setObject(1, s.now());
                ps.setString(2, action);
                ps.setString(3, interaction);
                ps.setString(4, s.caller().roleName());
                ps.setString(5, s.caller().ods());
                ps.setString(6, s.remoteAddress());
                ps.setLong(7, t.flagId());
                ps.setInt(8, t.version());
                ps.setString(9, t.councilOds());
                if (flags.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
            }
            if (flags.size() > 1) {
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw StoreException.of("write the audit record", e);
        }
    }

    long count(Session s, Where w) {
        try {
            return Sql.queryLong(s, "SELECT COUNT(*) FROM fs_audit WHERE " + w.sql(), w.params().toArray());
        } catch (SQLException e) {
            throw StoreException.of("count audit records", e);
        }
    }

    List<AuditEvent> page(Session s, Where w, int offset, int limit) {
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
