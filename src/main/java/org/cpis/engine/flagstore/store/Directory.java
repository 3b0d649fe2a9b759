package org.cpis.engine.flagstore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.cpis.engine.flagstore.FhirIds;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Patients (one per NHS number) and Organizations (one per ODS code). Flags link to them by
 * identifier; a missing one is created with just that identifier.
 */
final class Directory {

    long patientIdFor(Session s, String nhs) {
        Long cached = s.patientIds.get(nhs);
        if (cached != null) {
            return cached;
        }
        try {
            Long id = Sql.queryLong(s, "SELECT id FROM fs_patient WHERE nhs_number = ?", nhs);
            if (id == null) {
                Patient p = new Patient();
                p.addIdentifier().setSystem(FhirIds.NHS_NUMBER).setValue(nhs);
                id = insertOrFind(s, "INSERT INTO fs_patient (nhs_number, version, last_updated, resource_json) VALUES (?, 1, ?, ?)",
                        "SELECT id FROM fs_patient WHERE nhs_number = ?", nhs, s.now(), Json.encode(p));
            }
            s.patientIds.put(nhs, id);
            return id;
        } catch (SQLException e) {
            throw StoreException.of("find or create a patient", e);
        }
    }

    long organizationIdFor(Session s, String ods) {
        Long cached = s.orgIds.get(ods);
        if (cached != null) {
            return cached;
        }
        try {
            Long id = Sql.queryLong(s, "SELECT id FROM fs_organization WHERE ods_code = ?", ods);
            if (id == null) {
                Organization o = new Organization();
                o.addIdentifier().setSystem(FhirIds.ODS_CODE).setValue(ods);
                o.setActive(true);
                id = insertOrFind(s, "INSERT INTO fs_organization (ods_code, version, last_updated, resource_json) VALUES (?, 1, ?, ?)",
                        "SELECT id FROM fs_organization WHERE ods_code = ?", ods, s.now(), Json.encode(o));
            }
            s.orgIds.put(ods, id);
            return id;
        } catch (SQLException e) {
            throw StoreException.of("find or create an organization", e);
        }
    }

    /** Inserts; when a concurrent request inserted the same key first, finds that row instead. */
    private long insertOrFind(Session s, String insert, String find, String key, OffsetDateTime now, String json)
            throws SQLException {
        Savepoint sp = s.connection().setSavepoint();
        try {
            return Sql.insert(s, insert, key, now, json);
        } catch (SQLException e) {
            if (!StoreException.isUniqueViolation(e)) {
                throw e;
            }
            s.connection().rollback(sp);
            return Sql.queryLong(s, find, key);
        }
    }

    String organizationName(Session s, long id) {
        if (s.orgNames.containsKey(id)) {
            return s.orgNames.get(id);
        }
        try {
            String name = Sql.queryString(s, "SELECT name FROM fs_organization WHERE id = ?", id);
            s.orgNames.put(id, name);
            return name;
        } catch (SQLException e) {
            throw StoreException.of("read an organization", e);
        }
    }

    /** NHS number of a patient row, or null. */
    String nhsOfPatient(Session s, long id) {
        try {
            return Sql.queryString(s, "SELECT nhs_number FROM fs_patient WHERE id = ?", id);
        } catch (SQLException e) {
            throw StoreException.of("read a patient", e);
        }
    }

    String odsOfOrganization(Session s, long id) {
        try {
            return Sql.queryString(s, "SELECT ods_code FROM fs_organization WHERE id = ?", id);
        } catch (SQLException e) {
            throw StoreException.of("read an organization", e);
        }
    }

    Patient readPatient(Session s, long id) {
        return one(s, Patient.class, "SELECT id, version, last_updated, resource_json FROM fs_patient WHERE id = ?", id);
    }

    Organization readOrganization(Session s, long id) {
        return one(s, Organization.class, "SELECT id, version, last_updated, resource_json FROM fs_organization WHERE id = ?", id);
    }

    <T extends Resource> T one(Session s, Class<T> type, String sql, Object... params) {
        List<T> l = list(s, type, sql, List.of(params));
        return l.isEmpty() ? null : l.get(0);
    }

    /** Rows of (id, version, last_updated, resource_json) as resources. */
    <T extends Resource> List<T> list(Session s, Class<T> type, String sql, List<Object> params) {
        try (ResultSet rs = Sql.prepare(s, sql, params).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.decode(type, rs.getString(4), rs.getLong(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class)));
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.of("read " + type.getSimpleName() + " rows", e);
        }
    }

    /** Replaces a patient's content (admin): the NHS number stays its key. */
    Patient writePatient(Session s, Long existingId, String nhs, Patient p) {
        try {
            long id;
            if (existingId == null) {
                id = Sql.insert(s, "INSERT INTO fs_patient (nhs_number, version, last_updated, resource_json) VALUES (?, 1, ?, ?)",
                        nhs, s.now(), Json.encode(p));
            } else {
                id = existingId;
                Sql.update(s, "UPDATE fs_patient SET version = version + 1, last_updated = ?, resource_json = ? WHERE id = ?",
                        s.now(), Json.encode(p), id);
            }
            s.patientIds.put(nhs, id);
            return readPatient(s, id);
        } catch (SQLException e) {
            if (StoreException.isUniqueViolation(e)) {
                throw new ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException(
                        "a Patient with this NHS number already exists; use a conditional update on identifier");
            }
            throw StoreException.of("write a patient", e);
        }
    }

    Organization writeOrganization(Session s, Long existingId, String ods, Organization o) {
        try {
            long id;
            String name = o.hasName() ? o.getName() : null;
            if (existingId == null) {
                id = Sql.insert(s, "INSERT INTO fs_organization (ods_code, name, version, last_updated, resource_json) VALUES (?, ?, 1, ?, ?)",
                        ods, name, s.now(), Json.encode(o));
            } else {
                id = existingId;
                Sql.update(s, "UPDATE fs_organization SET ods_code = ?, name = ?, version = version + 1, last_updated = ?, resource_json = ? WHERE id = ?",
                        ods, name, s.now(), Json.encode(o), id);
            }
            s.orgIds.put(ods, id);
            s.orgNames.remove(id);
            return readOrganization(s, id);
        } catch (SQLException e) {
            if (StoreException.isUniqueViolation(e)) {
                throw new ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException(
                        "an Organization with this ODS code already exists; use a conditional update on identifier");
            }
            throw StoreException.of("write an organization", e);
        }
    }
}
