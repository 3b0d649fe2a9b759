package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagRules;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.nhs.NhsNumber;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Patient, Organization, Encounter (attendance history) and AuditEvent: who may see and change them,
 * and their searches. Flags themselves live in {@link FlagStore}.
 */
public final class OtherResources {
    public static final String PATIENT_PARAMS = "_id, identifier, _count";
    public static final String ORGANIZATION_PARAMS = "_id, identifier, name, _count";
    public static final String ENCOUNTER_PARAMS = "_id, identifier, patient, patient:identifier, patient.identifier, "
            + "subject (same forms), date, _sort=date|-date, _count";
    public static final String AUDIT_PARAMS = "entity, date, _count";

    private final FlagStore flags;
    private final Directory dir;

    public OtherResources(FlagStore flags) {
        this.flags = flags;
        this.dir = flags.directory;
    }

    /** A search as SQL: table, WHERE, ORDER BY. */
    public record Query(String table, Where where, String orderBy) {
    }

    // ------------------------------------------------------------------------------------ Patient

    public Patient readPatient(Session s, String id) {
        Long pid = FlagSearch.idPart(id);
        Patient p = pid == null ? null : dir.readPatient(s, pid);
        if (p == null) {
            throw new ResourceNotFoundException("Patient/" + id + " is not known");
        }
        if (s.caller().isCouncil() && !councilHasFlagOn(s, "patient_id", pid)) {
            throw new ForbiddenOperationException("this patient has no flag of council " + s.caller().ods());
        }
        return p;
    }

    public Query patientQuery(Session s, SearchParams sp) {
        Where w = new Where();
        if (s.caller().isCouncil()) {
            w.and("EXISTS (SELECT 1 FROM fs_flag f WHERE f.patient_id = fs_patient.id AND f.council_ods = ?)", s.caller().ods());
        }
        for (SearchParams.Param p : sp.params()) {
            switch (p.name()) {
                case "_id" -> FlagSearch.ids(w, p, "id");
                case "identifier" -> {
                    FlagSearch.noModifier(p);
                    FlagSearch.tokens(w, p, (t, alts, vals) -> {
                        if (t.system() == null || FhirIds.NHS_NUMBER.equals(t.system())) {
                            alts.add("nhs_number = ?");
                            vals.add(NhsNumber.normalise(t.code()));
                        }
                    });
                }
                default -> throw SearchParams.unknown("Patient", p, PATIENT_PARAMS);
            }
        }
        return new Query("fs_patient", w, "id");
    }

    /** Create or update (admin only): keyed on the NHS number. */
    public WriteResult writePatient(Session s, String id, Patient p, String conditionalUrl) {
        if (!s.caller().isAdmin()) {
            throw new ForbiddenOperationException("only admin may write Patient resources (flags create them as needed)");
        }
        String nhs = null;
        for (Identifier i : p.getIdentifier()) {
            if (FhirIds.NHS_NUMBER.equals(i.getSystem()) && i.hasValue()) {
                nhs = NhsNumber.normalise(i.getValue().trim());
            }
        }
        if (nhs == null || !NhsNumber.isValid(nhs)) {
            throw Outcomes.unprocessable("Patient.identifier", FlagRules.R_NHS_INVALID,
                    "Patient.identifier must carry a valid NHS number (system " + FhirIds.NHS_NUMBER + ")");
        }
        Long existing = null;
        try {
            if (id != null) {
                existing = FlagSearch.idPart(id);
                if (existing == null || dir.readPatient(s, existing) == null) {
                    throw new ResourceNotFoundException("Patient/" + id + " is not known");
                }
            } else {
                existing = Sql.queryLong(s, "SELECT id FROM fs_patient WHERE nhs_number = ?", nhs);
                if (existing != null && conditionalUrl == null) {
                    throw new ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException(
                            "a Patient with this NHS number already exists; use a conditional update on identifier");
                }
            }
        } catch (SQLException e) {
            throw StoreException.of("find a patient", e);
        }
        Patient stored = dir.writePatient(s, existing, nhs, p);
        return new WriteResult(stored, existing == null);
    }

    // ------------------------------------------------------------------------------------ Organization

    public Organization readOrganization(Session s, String id) {
        Long oid = FlagSearch.idPart(id);
        Organization o = oid == null ? null : dir.readOrganization(s, oid);
        if (o == null) {
            throw new ResourceNotFoundException("Organization/" + id + " is not known");
        }
        return o;
    }

    public Query organizationQuery(Session s, SearchParams sp) {
        Where w = new Where();
        for (SearchParams.Param p : sp.params()) {
            switch (p.name()) {
                case "_id" -> FlagSearch.ids(w, p, "id");
                case "identifier" -> {
                    FlagSearch.noModifier(p);
                    FlagSearch.tokens(w, p, (t, alts, vals) -> {
                        if (t.system() == null || FhirIds.ODS_CODE.equals(t.system())) {
                            alts.add("ods_code = ?");
                            vals.add(t.code().trim().toUpperCase(Locale.ROOT));
                        }
                    });
                }
                case "name" -> {
                    FlagSearch.noModifier(p);
                    List<String> alts = new ArrayList<>();
                    List<Object> vals = new ArrayList<>();
                    for (String v : p.values()) {
                        alts.add("LOWER(name) LIKE ?");
                        vals.add(v.toLowerCase(Locale.ROOT).replace("%", "") + "%");
                    }
                    w.anyOf(alts, vals);
                }
                default -> throw SearchParams.unknown("Organization", p, ORGANIZATION_PARAMS);
            }
        }
        return new Query("fs_organization", w, "id");
    }

    /** Create or update a council (admin only), keyed on the ODS code. */
    public WriteResult writeOrganization(Session s, String id, Organization o, String conditionalUrl) {
        if (!s.caller().isAdmin()) {
            throw new ForbiddenOperationException("only admin may write Organization resources");
        }
        String ods = null;
        for (Identifier i : o.getIdentifier()) {
            if (FhirIds.ODS_CODE.equals(i.getSystem()) && i.hasValue()) {
                ods = i.getValue().trim().toUpperCase(Locale.ROOT);
            }
        }
        if (ods == null) {
            throw Outcomes.unprocessable("Organization.identifier", "R09",
                    "Organization.identifier must carry the ODS code (system " + FhirIds.ODS_CODE + ")");
        }
        Long existing;
        try {
            if (id != null) {
                existing = FlagSearch.idPart(id);
                if (existing == null || dir.readOrganization(s, existing) == null) {
                    throw new ResourceNotFoundException("Organization/" + id + " is not known");
                }
            } else {
                if (conditionalUrl != null) {
                    Query q = organizationQuery(s, SearchParams.parse(FlagStore.parseQuery(conditionalUrl)));
                    List<Organization> m = dir.list(s, Organization.class, select(q, 2, 0), q.where().params());
                    if (m.size() > 1) {
                        throw new PreconditionFailedException("conditional write matches " + m.size() + " organizations");
                    }
                    existing = m.isEmpty() ? null : m.get(0).getIdElement().getIdPartAsLong();
                } else {
                    existing = null;
                }
                Long byOds = Sql.queryLong(s, "SELECT id FROM fs_organization WHERE ods_code = ?", ods);
                if (existing == null && byOds != null) {
                    // An Organization created as a bare author link gets its full content now.
                    if (conditionalUrl == null) {
                        throw new ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException(
                                "an Organization with ODS code " + ods + " already exists; use a conditional update on identifier");
                    }
                    existing = byOds;
                }
            }
        } catch (SQLException e) {
            throw StoreException.of("find an organization", e);
        }
        return new WriteResult(dir.writeOrganization(s, existing, ods, o), existing == null);
    }

    // ------------------------------------------------------------------------------------ Encounter

    /** Records an attendance (lookup or admin only); the subject is linked by NHS number. */
    public WriteResult createEncounter(Session s, Encounter e, String ifNoneExist) {
        if (s.caller().role() == Caller.Role.COUNCIL) {
            throw new ForbiddenOperationException("only the engine (lookup) or admin record attendances");
        }
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            Query q = encounterQuery(s, SearchParams.parse(FlagStore.parseQuery(ifNoneExist)));
            List<Encounter> m = dir.list(s, Encounter.class, select(q, 2, 0), q.where().params());
            if (m.size() > 1) {
                throw new PreconditionFailedException("If-None-Exist matches " + m.size() + " encounters");
            }
            if (m.size() == 1) {
                return new WriteResult(m.get(0), false);
            }
        }
        Identifier sid = e.getSubject().getIdentifier();
        String nhs = sid.hasValue() && (!sid.hasSystem() || FhirIds.NHS_NUMBER.equals(sid.getSystem()))
                ? NhsNumber.normalise(sid.getValue().trim()) : null;
        if (nhs == null && e.getSubject().hasReference()) {
            Long pid = FlagSearch.idPart(e.getSubject().getReference());
            nhs = pid == null ? null : dir.nhsOfPatient(s, pid);
        }
        if (nhs == null || !NhsNumber.isValid(nhs)) {
            throw Outcomes.unprocessable("Encounter.subject.identifier", FlagRules.R_NHS_INVALID,
                    "Encounter.subject.identifier must carry a valid NHS number (system " + FhirIds.NHS_NUMBER + ")");
        }
        if (!e.getPeriod().hasStart()) {
            throw Outcomes.unprocessable("Encounter.period.start", FlagRules.R_DATE_INVALID,
                    "Encounter.period.start (the attendance time) is required");
        }
        long pid = dir.patientIdFor(s, nhs);
        Encounter copy = e.copy();
        copy.setSubject(new Reference("Patient/" + pid).setIdentifier(new Identifier().setSystem(FhirIds.NHS_NUMBER).setValue(nhs)));
        OffsetDateTime start = copy.getPeriod().getStart().toInstant().atOffset(ZoneOffset.UTC);
        String is = copy.hasIdentifier() ? copy.getIdentifierFirstRep().getSystem() : null;
        String iv = copy.hasIdentifier() ? copy.getIdentifierFirstRep().getValue() : null;
        String json = Json.encode(copy);
        try {
            long id = Sql.insert(s, "INSERT INTO fs_encounter (version, last_updated, patient_id, nhs_number, period_start, "
                    + "ident_system, ident_value, resource_json) VALUES (1, ?, ?, ?, ?, ?, ?, ?)", s.now(), pid, nhs, start, is, iv, json);
            return new WriteResult(Json.decode(Encounter.class, json, id, 1, s.now()), true);
        } catch (SQLException ex) {
            throw StoreException.of("record an encounter", ex);
        }
    }

    public Encounter readEncounter(Session s, String id) {
        Long eid = FlagSearch.idPart(id);
        Encounter e = eid == null ? null : dir.one(s, Encounter.class,
                "SELECT id, version, last_updated, resource_json FROM fs_encounter WHERE id = ?", eid);
        if (e == null) {
            throw new ResourceNotFoundException("Encounter/" + id + " is not known");
        }
        if (s.caller().isCouncil()) {
            String nhs = e.getSubject().getIdentifier().getValue();
            if (!councilHasFlagOn(s, "nhs_number", nhs)) {
                throw new ForbiddenOperationException("this attendance is of a patient with no flag of council " + s.caller().ods());
            }
        }
        return e;
    }

    public Query encounterQuery(Session s, SearchParams sp) {
        Where w = new Where();
        if (s.caller().isCouncil()) {
            w.and("EXISTS (SELECT 1 FROM fs_flag f WHERE f.nhs_number = fs_encounter.nhs_number AND f.council_ods = ?)", s.caller().ods());
        }
        for (SearchParams.Param p : sp.params()) {
            switch (p.name()) {
                case "_id" -> FlagSearch.ids(w, p, "id");
                case "identifier" -> {
                    FlagSearch.noModifier(p);
                    FlagSearch.tokens(w, p, (t, alts, vals) -> {
                        if (t.system() == null) {
                            alts.add("ident_value = ?");
                        } else {
                            alts.add("(ident_system = ? AND ident_value = ?)");
                            vals.add(t.system());
                        }
                        vals.add(t.code());
                    });
                }
                case "patient", "subject" -> {
                    if (FlagSearch.isIdentifierForm(p)) {
                        FlagSearch.tokens(w, p, (t, alts, vals) -> {
                            if (t.system() == null || FhirIds.NHS_NUMBER.equals(t.system())) {
                                alts.add("nhs_number = ?");
                                vals.add(NhsNumber.normalise(t.code()));
                            }
                        });
                    } else {
                        FlagSearch.ids(w, p, "patient_id");
                    }
                }
                case "date" -> {
                    FlagSearch.noModifier(p);
                    List<String> alts = new ArrayList<>();
                    List<Object> vals = new ArrayList<>();
                    for (String v : p.values()) {
                        alts.add(SearchParams.DateValue.parse(v).instantClause("period_start", vals));
                    }
                    w.anyOf(alts, vals);
                }
                default -> throw SearchParams.unknown("Encounter", p, ENCOUNTER_PARAMS);
            }
        }
        String sort = sp.control("_sort");
        String order;
        if (sort == null || sort.equals("date")) {
            order = "period_start ASC, id ASC";
        } else if (sort.equals("-date")) {
            order = "period_start DESC, id DESC";
        } else {
            throw new InvalidRequestException("_sort on Encounter supports date and -date only");
        }
        return new Query("fs_encounter", w, order);
    }

    // ------------------------------------------------------------------------------------ AuditEvent

    public AuditEvent readAudit(Session s, String id) {
        requireAuditReader(s);
        Long aid = FlagSearch.idPart(id);
        AuditEvent ae = aid == null ? null : flags.audit.read(s, aid);
        if (ae == null) {
            throw new ResourceNotFoundException("AuditEvent/" + id + " is not known");
        }
        if (!s.caller().mayRead(flags.audit.councilOf(s, aid))) {
            throw new ForbiddenOperationException("this audit record is about another council's flag");
        }
        return ae;
    }

    public Where auditWhere(Session s, SearchParams sp) {
        requireAuditReader(s);
        Where w = new Where();
        if (s.caller().isCouncil()) {
            w.and("council_ods = ?", s.caller().ods());
        }
        for (SearchParams.Param p : sp.params()) {
            switch (p.name()) {
                case "entity" -> {
                    FlagSearch.noModifier(p);
                    FlagSearch.ids(w, p, "flag_id");
                }
                case "date" -> {
                    FlagSearch.noModifier(p);
                    List<String> alts = new ArrayList<>();
                    List<Object> vals = new ArrayList<>();
                    for (String v : p.values()) {
                        alts.add(SearchParams.DateValue.parse(v).instantClause("recorded", vals));
                    }
                    w.anyOf(alts, vals);
                }
                default -> throw SearchParams.unknown("AuditEvent", p, AUDIT_PARAMS);
            }
        }
        return w;
    }

    public long countAudit(Session s, Where w) {
        return flags.audit.count(s, w);
    }

    public List<AuditEvent> pageAudit(Session s, Where w, int offset, int limit) {
        return flags.audit.page(s, w, offset, limit);
    }

    private static void requireAuditReader(Session s) {
        if (s.caller().role() == Caller.Role.LOOKUP) {
            throw new ForbiddenOperationException("the audit is for admins and for councils about their own flags");
        }
    }

    // ------------------------------------------------------------------------------------ shared

    public long count(Session s, Query q) {
        try {
            return Sql.queryLong(s, "SELECT COUNT(*) FROM " + q.table() + " WHERE " + q.where().sql(),
                    q.where().params().toArray());
        } catch (SQLException e) {
            throw StoreException.of("count " + q.table(), e);
        }
    }

    public <T extends Resource> List<T> page(Session s, Class<T> type, Query q, int offset, int limit) {
        List<Object> params = new ArrayList<>(q.where().params());
        params.add(limit);
        params.add(offset);
        return dir.list(s, type, "SELECT id, version, last_updated, resource_json FROM " + q.table() + " WHERE "
                + q.where().sql() + " ORDER BY " + q.orderBy() + " LIMIT ? OFFSET ?", params);
    }

    private static String select(Query q, int limit, int offset) {
        return "SELECT id, version, last_updated, resource_json FROM " + q.table() + " WHERE " + q.where().sql()
                + " ORDER BY " + q.orderBy() + " LIMIT " + limit + " OFFSET " + offset;
    }

    private boolean councilHasFlagOn(Session s, String column, Object value) {
        try {
            return Sql.queryLong(s, "SELECT COUNT(*) FROM fs_flag WHERE " + column + " = ? AND council_ods = ?",
                    value, s.caller().ods()) > 0;
        } catch (SQLException e) {
            throw StoreException.of("check a council's flags", e);
        }
    }
}
