package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagRules;
import org.cpis.engine.flagstore.FlagStoreSettings;
import org.cpis.engine.flagstore.FlagVisibility;
import org.cpis.engine.flagstore.auth.Caller;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * Flags in the database: the rules of every interaction (validation, linking, council scope, versions,
 * audit) independent of HTTP. The HAPI resource providers and the transaction processor call it.
 */
public final class FlagStore implements AutoCloseable {
    private static final String COLS = "id, version, last_updated, council_ods, org_id, status, resource_json";

    private final DataSource dataSource;
    private final FlagStoreSettings settings;
    final Directory directory = new Directory();
    private final AuditWriter auditWriter;
    final AuditLog audit;

    public FlagStore(DataSource dataSource, FlagStoreSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.auditWriter = new AuditWriter(dataSource);
        this.audit = new AuditLog(auditWriter);
    }

    /** Waits until the audit records of every read so far are committed (before reading fs_audit directly). */
    public void awaitAuditWritten() {
        auditWriter.awaitWritten();
    }

    /** Commits the audit records still queued; call before the database closes (the servlet's destroy does). */
    @Override
    public void close() {
        auditWriter.close();
    }

    public FlagStoreSettings settings() {
        return settings;
    }

    public Session open(Caller caller, String remoteAddress) {
        return new Session(dataSource, caller, remoteAddress, settings.clock(), audit);
    }

    // ------------------------------------------------------------------------------------ writes

    public WriteResult create(Session s, Flag flag, String ifNoneExist) {
        requireWriter(s);
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            List<FlagRow> matches = conditionalMatches(s, ifNoneExist);
            if (matches.size() > 1) {
                throw new PreconditionFailedException("If-None-Exist matches " + matches.size() + " flags");
            }
            if (matches.size() == 1) {
                FlagRow r = matches.get(0);
                return new WriteResult(toFlag(r), false);
            }
        }
        Prepared p = prepare(s, flag);
        if (p.identSystem != null && findByIdentifier(s, p.councilOds, p.identSystem, p.identValue) != null) {
            throw new ResourceVersionConflictException("a flag with this identifier already exists for council "
                    + p.councilOds + "; use a conditional create (If-None-Exist) or conditional update");
        }
        return insert(s, p);
    }

    /** Update by id (ifMatch = version the client saw, or null), or conditional update when {@code conditionalUrl} is set. */
    public WriteResult update(Session s, String id, Integer ifMatch, Flag flag, String conditionalUrl) {
        requireWriter(s);
        FlagRow existing;
        if (conditionalUrl != null && !conditionalUrl.isBlank()) {
            List<FlagRow> matches = conditionalMatches(s, conditionalUrl);
            if (matches.size() > 1) {
                throw new PreconditionFailedException("conditional update matches " + matches.size() + " flags");
            }
            if (matches.isEmpty()) {
                // A flag with this identifier outside the condition's reach still trips the unique index (409).
                return insert(s, prepare(s, flag));
            }
            existing = matches.get(0);
        } else {
            Long fid = FlagSearch.idPart(id == null ? "" : id);
            existing = fid == null ? null : row(s, fid);
            if (existing == null) {
                throw new MethodNotAllowedException("Flag/" + id + " does not exist; this server assigns ids (create with POST)");
            }
            if (!s.caller().mayWrite(existing.councilOds())) {
                throw new ForbiddenOperationException("this flag belongs to another council");
            }
            if (ifMatch != null && ifMatch != existing.version()) {
                throw new ResourceVersionConflictException("Flag/" + existing.id() + " is at version " + existing.version()
                        + ", not " + ifMatch);
            }
        }
        Prepared p = prepare(s, flag);
        if (p.identSystem != null) {
            FlagRow other = findByIdentifier(s, p.councilOds, p.identSystem, p.identValue);
            if (other != null && other.id() != existing.id()) {
                throw new ResourceVersionConflictException("another flag of council " + p.councilOds + " has this identifier");
            }
        }
        return write(s, existing, p, "PUT", "U", "update");
    }

    /** Delete by id or by condition: sets status entered-in-error as a new version. */
    public List<WriteResult> delete(Session s, String id, String conditionalUrl) {
        requireWriter(s);
        List<FlagRow> targets;
        if (conditionalUrl != null && !conditionalUrl.isBlank()) {
            targets = conditionalMatches(s, conditionalUrl);
        } else {
            Long fid = FlagSearch.idPart(id == null ? "" : id);
            FlagRow r = fid == null ? null : row(s, fid);
            if (r == null) {
                throw new ResourceNotFoundException("Flag/" + id + " is not known");
            }
            targets = List.of(r);
        }
        List<WriteResult> out = new ArrayList<>();
        for (FlagRow r : targets) {
            if (!s.caller().mayWrite(r.councilOds())) {
                throw new ForbiddenOperationException("this flag belongs to another council");
            }
            if ("entered-in-error".equals(r.status())) {
                out.add(new WriteResult(toFlag(r), false));
                continue;
            }
            Flag f = toFlag(r);
            f.setStatus(Flag.FlagStatus.ENTEREDINERROR);
            Prepared p = prepareLinked(s, f, r.councilOds(), r.orgId());
            out.add(write(s, r, p, "DELETE", "D", "delete"));
        }
        return out;
    }

    /** Looks up the patients of many NHS numbers in a few queries, so a batch need not ask row by row. */
    public void prefetchPatients(Session s, java.util.Collection<String> nhsNumbers) {
        List<String> todo = nhsNumbers.stream().filter(n -> n != null && !s.patientIds.containsKey(n)).distinct()
                .collect(Collectors.toList());
        for (int from = 0; from < todo.size(); from += 500) {
            List<Object> chunk = new ArrayList<>(todo.subList(from, Math.min(todo.size(), from + 500)));
            String in = chunk.stream().map(x -> "?").collect(Collectors.joining(","));
            try (ResultSet rs = Sql.prepare(s, "SELECT nhs_number, id FROM fs_patient WHERE nhs_number IN (" + in + ")", chunk)
                    .executeQuery()) {
                while (rs.next()) {
                    s.patientIds.put(rs.getString(1), rs.getLong(2));
                }
            } catch (SQLException e) {
                throw StoreException.of("look up patients", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------ reads

    public Flag read(Session s, String id, Integer version) {
        Long fid = FlagSearch.idPart(id);
        FlagRow r = fid == null ? null : row(s, fid);
        if (r == null) {
            throw new ResourceNotFoundException("Flag/" + id + " is not known");
        }
        if (!s.caller().mayRead(r.councilOds())) {
            throw new ForbiddenOperationException("this flag belongs to another council");
        }
        Flag f;
        if (version == null) {
            f = toFlag(r);
        } else {
            f = historyRows(s, r.id(), version).stream().findFirst().orElseThrow(
                    () -> new ResourceNotFoundException("Flag/" + r.id() + " has no version " + version));
        }
        if (settings.auditReads()) {
            audit.recordRead(s, version == null ? "read" : "vread", List.of(new AuditLog.Touched(r.id(),
                    Integer.parseInt(f.getMeta().getVersionId()), r.councilOds())));
        }
        return f;
    }

    public List<Flag> history(Session s, String id) {
        Long fid = FlagSearch.idPart(id);
        FlagRow r = fid == null ? null : row(s, fid);
        if (r == null) {
            throw new ResourceNotFoundException("Flag/" + id + " is not known");
        }
        if (!s.caller().mayRead(r.councilOds())) {
            throw new ForbiddenOperationException("this flag belongs to another council");
        }
        List<Flag> out = historyRows(s, r.id(), null);
        if (settings.auditReads()) {
            audit.recordRead(s, "history-instance", List.of(new AuditLog.Touched(r.id(), r.version(), r.councilOds())));
        }
        return out;
    }

    /** Search: the WHERE clause for these parameters and this caller. */
    public Where where(Session s, SearchParams sp) {
        return FlagSearch.where(sp, s.caller(), settings.visibility(), s.today());
    }

    /** The same without a database session (searches build it before touching the database). */
    public Where where(Caller caller, SearchParams sp) {
        return FlagSearch.where(sp, caller, settings.visibility(), LocalDate.now(settings.clock()));
    }

    public long count(Session s, Where w) {
        try {
            return Sql.queryLong(s, "SELECT COUNT(*) FROM fs_flag WHERE " + w.sql(), w.params().toArray());
        } catch (SQLException e) {
            throw StoreException.of("count flags", e);
        }
    }

    /** One page of search results (ordered by id); authors attached when {@code includeAuthor}. */
    public List<Flag> page(Session s, Where w, int offset, int limit, boolean includeAuthor) {
        return page(s, w, offset, limit, includeAuthor, false);
    }

    /**
     * One page of search results; authors ({@code _include=Flag:author}) and subjects
     * ({@code _include=Flag:subject} or {@code Flag:patient}) attached as asked. The lookup's flag
     * index asks for subjects so that it works the same against stores whose references are literal only.
     */
    public List<Flag> page(Session s, Where w, int offset, int limit, boolean includeAuthor, boolean includeSubject) {
        List<Object> params = new ArrayList<>(w.params());
        params.add(limit);
        params.add(offset);
        List<FlagRow> rows = rows(s, "SELECT " + COLS + " FROM fs_flag WHERE " + w.sql() + " ORDER BY id LIMIT ? OFFSET ?", params);
        List<Flag> flags = new ArrayList<>(rows.size());
        Map<Long, Organization> orgs = includeAuthor ? organizations(s, rows) : Map.of();
        for (FlagRow r : rows) {
            Flag f = toFlag(r);
            if (includeAuthor && orgs.containsKey(r.orgId())) {
                f.getAuthor().setResource(orgs.get(r.orgId()));
            }
            flags.add(f);
        }
        if (includeSubject) {
            Map<Long, org.hl7.fhir.r4.model.Patient> patients = patients(s, flags);
            for (Flag f : flags) {
                Long pid = patientIdOf(f);
                if (pid != null && patients.containsKey(pid)) {
                    f.getSubject().setResource(patients.get(pid));
                }
            }
        }
        if (settings.auditReads()) {
            audit.recordRead(s, "search-type",
                    rows.stream().map(r -> new AuditLog.Touched(r.id(), r.version(), r.councilOds())).collect(Collectors.toList()));
        }
        return flags;
    }

    private static Long patientIdOf(Flag f) {
        var ref = f.getSubject().getReferenceElement();
        return ref.hasIdPart() && ref.isIdPartValidLong() ? ref.getIdPartAsLong() : null;
    }

    private Map<Long, org.hl7.fhir.r4.model.Patient> patients(Session s, List<Flag> flags) {
        List<Object> ids = flags.stream().map(FlagStore::patientIdOf).filter(java.util.Objects::nonNull)
                .distinct().collect(Collectors.toList());
        if (ids.isEmpty()) {
            return Map.of();
        }
        String in = ids.stream().map(x -> "?").collect(Collectors.joining(","));
        Map<Long, org.hl7.fhir.r4.model.Patient> out = new HashMap<>();
        for (org.hl7.fhir.r4.model.Patient p : directory.list(s, org.hl7.fhir.r4.model.Patient.class,
                "SELECT id, version, last_updated, resource_json FROM fs_patient WHERE id IN (" + in + ")", ids)) {
            out.put(p.getIdElement().getIdPartAsLong(), p);
        }
        return out;
    }

    private Map<Long, Organization> organizations(Session s, List<FlagRow> rows) {
        List<Object> ids = rows.stream().map(FlagRow::orgId).distinct().collect(Collectors.toList());
        if (ids.isEmpty()) {
            return Map.of();
        }
        String in = ids.stream().map(x -> "?").collect(Collectors.joining(","));
        Map<Long, Organization> out = new HashMap<>();
        for (Organization o : directory.list(s, Organization.class,
                "SELECT id, version, last_updated, resource_json FROM fs_organization WHERE id IN (" + in + ")", ids)) {
            out.put(o.getIdElement().getIdPartAsLong(), o);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ internals

    private static void requireWriter(Session s) {
        if (!s.caller().isAdmin() && !s.caller().isCouncil()) {
            throw new ForbiddenOperationException("role " + s.caller().roleName() + " may not change flags");
        }
    }

    /** A flag validated and linked, ready to store. */
    private static final class Prepared {
        Flag flag;
        long patientId;
        String nhs;
        long orgId;
        String councilOds;
        String code;
        LocalDate start;
        LocalDate end;
        LocalDate due;
        String identSystem;
        String identValue;
    }

    private Prepared prepare(Session s, Flag in) {
        Flag f = in.copy();
        List<FlagRules.Problem> problems = new ArrayList<>(FlagRules.check(f));
        String nhs = FlagRules.nhsNumber(f);
        if (nhs == null && f.getSubject().hasReference() && problems.stream().noneMatch(p -> p.element().startsWith("Flag.subject"))) {
            Long pid = FlagSearch.idPart(f.getSubject().getReference());
            nhs = pid == null || !f.getSubject().getReference().contains("Patient/") && f.getSubject().getReference().contains("/")
                    ? null : directory.nhsOfPatient(s, pid);
            if (nhs == null) {
                problems.add(new FlagRules.Problem("Flag.subject", FlagRules.R_NHS_MISSING,
                        "Flag.subject refers to a Patient this store does not hold; give the NHS number as Flag.subject.identifier"));
            }
        }
        String ods = FlagRules.authorOds(f);
        if (ods == null && f.getAuthor().hasReference()) {
            Long oid = FlagSearch.idPart(f.getAuthor().getReference());
            ods = oid == null ? null : directory.odsOfOrganization(s, oid);
        }
        if (ods == null && s.caller().isCouncil() && !f.getAuthor().hasReference() && !f.getAuthor().hasIdentifier()) {
            ods = s.caller().ods();
        }
        if (ods == null) {
            problems.add(new FlagRules.Problem("Flag.author", FlagRules.R_AUTHOR,
                    "Flag.author must identify the council by ODS code (identifier system " + FhirIds.ODS_CODE + ")"));
        } else if (s.caller().isCouncil() && !ods.equals(s.caller().ods())) {
            problems.add(new FlagRules.Problem("Flag.author", FlagRules.R_AUTHOR,
                    "Flag.author must be the caller's own council (" + s.caller().ods() + ")"));
        }
        if (!problems.isEmpty()) {
            throw Outcomes.unprocessable(problems);
        }
        return prepareLinked(s, f, ods, directory.organizationIdFor(s, ods), nhs);
    }

    private Prepared prepareLinked(Session s, Flag f, String ods, long orgId) {
        return prepareLinked(s, f, ods, orgId, FlagRules.nhsNumber(f));
    }

    private Prepared prepareLinked(Session s, Flag f, String ods, long orgId, String nhs) {
        Prepared p = new Prepared();
        p.flag = f;
        p.nhs = nhs;
        p.patientId = directory.patientIdFor(s, nhs);
        p.councilOds = ods;
        p.orgId = orgId;
        // Both lookup forms work: a literal reference for chains, the identifier for :identifier.
        f.setSubject(new Reference("Patient/" + p.patientId)
                .setIdentifier(new Identifier().setSystem(FhirIds.NHS_NUMBER).setValue(nhs)));
        String name = directory.organizationName(s, orgId);
        f.setAuthor(new Reference("Organization/" + orgId)
                .setIdentifier(new Identifier().setSystem(FhirIds.ODS_CODE).setValue(ods)).setDisplay(name));
        p.code = FlagRules.snomedCode(f);
        p.start = f.getPeriod().hasStart() ? FlagVisibility.localDate(f.getPeriod().getStartElement()) : null;
        p.end = f.getPeriod().hasEnd() ? FlagVisibility.localDate(f.getPeriod().getEndElement()) : null;
        p.due = FlagVisibility.dueDate(f);
        if (f.hasIdentifier() && f.getIdentifierFirstRep().hasValue()) {
            Identifier id = f.getIdentifierFirstRep();
            p.identSystem = id.hasSystem() ? id.getSystem() : FhirIds.councilFlagIdSystem(ods);
            p.identValue = id.getValue();
            id.setSystem(p.identSystem);
        }
        return p;
    }

    private WriteResult insert(Session s, Prepared p) {
        String json = Json.encode(p.flag);
        try {
            long id = Sql.insert(s, "INSERT INTO fs_flag (version, last_updated, patient_id, nhs_number, org_id, "
                            + "council_ods, code, status, period_start, period_end, due_date, ident_system, ident_value, resource_json) "
                            + "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    s.now(), p.patientId, p.nhs, p.orgId, p.councilOds, p.code, p.flag.getStatus().toCode(),
                    p.start, p.end, p.due, p.identSystem, p.identValue, json);
            history(s, id, 1, "POST", json);
            audit.record(s, "C", "create", id, 1, p.councilOds);
            return new WriteResult(stamped(p.flag, id, 1, s), true);
        } catch (SQLException e) {
            if (StoreException.isUniqueViolation(e)) {
                throw new ResourceVersionConflictException("a flag with this identifier already exists for council " + p.councilOds);
            }
            throw StoreException.of("insert a flag", e);
        }
    }

    private WriteResult write(Session s, FlagRow existing, Prepared p, String method, String action, String interaction) {
        String json = Json.encode(p.flag);
        int version = existing.version() + 1;
        try {
            int n = Sql.update(s, "UPDATE fs_flag SET version = ?, last_updated = ?, patient_id = ?, nhs_number = ?, "
                            + "org_id = ?, council_ods = ?, code = ?, status = ?, period_start = ?, period_end = ?, due_date = ?, "
                            + "ident_system = ?, ident_value = ?, resource_json = ? WHERE id = ? AND version = ?",
                    version, s.now(), p.patientId, p.nhs, p.orgId, p.councilOds, p.code, p.flag.getStatus().toCode(),
                    p.start, p.end, p.due, p.identSystem, p.identValue, json, existing.id(), existing.version());
            if (n != 1) {
                throw new ResourceVersionConflictException("Flag/" + existing.id() + " was changed by someone else; read it and try again");
            }
            history(s, existing.id(), version, method, json);
            audit.record(s, action, interaction, existing.id(), version, p.councilOds);
            return new WriteResult(stamped(p.flag, existing.id(), version, s), false);
        } catch (SQLException e) {
            throw StoreException.of("update a flag", e);
        }
    }

    /** The stored flag with its id and meta, without parsing the JSON back. */
    private static Flag stamped(Flag f, long id, int version, Session s) {
        f.setId("Flag/" + id + "/_history/" + version);
        f.getMeta().setVersionId(Integer.toString(version));
        f.getMeta().setLastUpdated(java.util.Date.from(s.now().toInstant()));
        return f;
    }

    private void history(Session s, long id, int version, String method, String json) throws SQLException {
        Sql.update(s, "INSERT INTO fs_flag_history (flag_id, version, last_updated, method, resource_json) VALUES (?, ?, ?, ?, ?)",
                id, version, s.now(), method, json);
    }

    private List<Flag> historyRows(Session s, long id, Integer version) {
        List<Object> params = new ArrayList<>();
        params.add(id);
        String sql = "SELECT flag_id, version, last_updated, resource_json FROM fs_flag_history WHERE flag_id = ?";
        if (version != null) {
            sql += " AND version = ?";
            params.add(version);
        }
        sql += " ORDER BY version DESC";
        try (ResultSet rs = Sql.prepare(s, sql, params).executeQuery()) {
            List<Flag> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.decode(Flag.class, rs.getString(4), rs.getLong(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class)));
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.of("read flag history", e);
        }
    }

    FlagRow row(Session s, long id) {
        List<FlagRow> l = rows(s, "SELECT " + COLS + " FROM fs_flag WHERE id = ?", List.of(id));
        return l.isEmpty() ? null : l.get(0);
    }

    private FlagRow findByIdentifier(Session s, String ods, String system, String value) {
        List<FlagRow> l = rows(s, "SELECT " + COLS + " FROM fs_flag WHERE council_ods = ? AND ident_system = ? AND ident_value = ?",
                List.of(ods, system, value));
        return l.isEmpty() ? null : l.get(0);
    }

    private List<FlagRow> rows(Session s, String sql, List<Object> params) {
        try (ResultSet rs = Sql.prepare(s, sql, params).executeQuery()) {
            List<FlagRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new FlagRow(rs.getLong(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7)));
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.of("read flags", e);
        }
    }

    private static Flag toFlag(FlagRow r) {
        return Json.decode(Flag.class, r.json(), r.id(), r.version(), r.lastUpdated());
    }

    /** Flags matching a conditional URL ({@code Flag?identifier=...}) within the caller's scope. */
    private List<FlagRow> conditionalMatches(Session s, String url) {
        SearchParams sp = SearchParams.parse(parseQuery(url));
        if (sp.params().isEmpty()) {
            throw new InvalidRequestException("a conditional request needs search parameters, e.g. Flag?identifier=system|value");
        }
        Where w = where(s, sp);
        return rows(s, "SELECT " + COLS + " FROM fs_flag WHERE " + w.sql() + " ORDER BY id", w.params());
    }

    /** The query part of {@code Flag?a=b&c=d} as a parameter map. */
    public static Map<String, String[]> parseQuery(String url) {
        int q = url.indexOf('?');
        String query = q >= 0 ? url.substring(q + 1) : url;
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
        return out;
    }
}
