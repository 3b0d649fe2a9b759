package org.cpis.engine.lookup;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cpis.engine.http.HttpServer;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * A small real FHIR server for tests: HAPI {@link RestfulServer} with in-memory Flag, Patient,
 * Organization and Encounter providers, mounted on the engine's own {@link HttpServer} (port 0).
 * Answers both lookup forms, {@code _lastUpdated}, {@code _include}, paging and conditional create,
 * and can demand an Authorization header or fail with a status on purpose.
 */
final class TestFlagStore implements AutoCloseable {

    static final String NHS = FlagBundleReader.NHS_SYSTEM;
    static final String ODS = FlagBundleReader.ODS_SYSTEM;

    private final FhirContext fhir;
    private final HttpServer http;
    private final AtomicInteger ids = new AtomicInteger();
    final Map<Integer, Flag> flags = new ConcurrentSkipListMap<>();
    final Map<String, Patient> patients = new ConcurrentHashMap<>();
    final Map<String, Organization> orgs = new ConcurrentHashMap<>();
    final Map<String, Encounter> encounters = new ConcurrentHashMap<>();
    final AtomicInteger flagSearches = new AtomicInteger();
    /** Searches for one patient's flags: the lookups, not the index's syncs. */
    final AtomicInteger patientSearches = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger encounterCreates = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> queries = new CopyOnWriteArrayList<>();
    volatile String requiredAuthorization;
    volatile int failWithStatus;
    /** When true, Flag.subject is written as a logical reference (identifier only). */
    volatile boolean logicalSubjects;

    TestFlagStore(FhirContext fhir) throws Exception {
        this.fhir = fhir;
        RestfulServer server = restfulServer();
        http = new HttpServer("127.0.0.1", 0, 16);
        http.mount("/fhir/*", server);
        http.start();
    }

    /** A further RestfulServer over the same data (the TLS test mounts one on its own https connector). */
    RestfulServer restfulServer() {
        RestfulServer server = new RestfulServer(fhir);
        server.setResourceProviders(new FlagProvider(), new PatientProvider(), new OrganizationProvider(),
                new EncounterProvider());
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(200);
        paging.setDefaultPageSize(50);
        paging.setMaximumPageSize(1000);
        server.setPagingProvider(paging);
        server.registerInterceptor(new Gate());
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http.port() + "/fhir";
    }

    int port() {
        return http.port();
    }

    Organization council(String ods, String name) {
        return orgs.computeIfAbsent(ods, o -> {
            Organization org = new Organization();
            org.setId("Organization/org-" + o);
            org.addIdentifier().setSystem(ODS).setValue(o);
            org.setName(name);
            return org;
        });
    }

    Patient patient(String nhs) {
        return patients.computeIfAbsent(nhs, n -> {
            Patient p = new Patient();
            p.setId("Patient/pat-" + n);
            p.addIdentifier().setSystem(NHS).setValue(n);
            return p;
        });
    }

    /** Adds a flag; null dates are left out. Returns the stored Flag. */
    Flag addFlag(String nhs, FlagKind kind, Flag.FlagStatus status, LocalDate start, LocalDate end, String councilOds,
            LocalDate due) {
        Flag f = new Flag();
        int id = ids.incrementAndGet();
        f.setId("Flag/" + id);
        f.setStatus(status);
        f.setCode(new CodeableConcept().addCoding(
                new org.hl7.fhir.r4.model.Coding(FlagKind.SNOMED, kind.snomedCode(), kind.name())));
        if (start != null) {
            f.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(start.toString()));
        }
        if (end != null) {
            f.getPeriod().setEndElement(new org.hl7.fhir.r4.model.DateTimeType(end.toString()));
        }
        if (due != null) {
            f.addExtension(VisibilityRules.EXPECTED_DUE_DATE_URL, new DateType(due.toString()));
        }
        if (logicalSubjects) {
            f.setSubject(new Reference().setIdentifier(new Identifier().setSystem(NHS).setValue(nhs)));
        } else {
            Patient p = patient(nhs);
            Reference subject = new Reference(p.getIdElement().toUnqualifiedVersionless().getValue());
            subject.setResource(p);
            f.setSubject(subject);
        }
        Organization org = council(councilOds, "Council " + councilOds);
        Reference author = new Reference(org.getIdElement().toUnqualifiedVersionless().getValue());
        author.setResource(org);
        f.setAuthor(author);
        f.getMeta().setLastUpdated(new Date());
        flags.put(id, f);
        return f;
    }

    Flag activeFlag(String nhs, FlagKind kind, String councilOds) {
        return addFlag(nhs, kind, Flag.FlagStatus.ACTIVE, LocalDate.of(2020, 1, 1), null, councilOds, null);
    }

    @Override
    public void close() throws Exception {
        http.close();
    }

    private static String nhsOf(Flag f) {
        Reference s = f.getSubject();
        if (s.hasIdentifier()) {
            return s.getIdentifier().getValue();
        }
        return ((Patient) s.getResource()).getIdentifierFirstRep().getValue();
    }

    /** Records every request's Authorization header and enforces the required one. */
    final class Gate {
        @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
        public boolean incoming(HttpServletRequest req, HttpServletResponse resp) {
            requests.incrementAndGet();
            String auth = req.getHeader("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (req.getQueryString() != null) {
                queries.add(URLDecoder.decode(req.getQueryString(), StandardCharsets.UTF_8));
            }
            if (failWithStatus > 0) {
                throw new UnclassifiedServerFailureException(failWithStatus, "failing on purpose");
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
                throw new AuthenticationException("bad credentials");
            }
            return true;
        }
    }

    final class FlagProvider implements IResourceProvider {
        @Override
        public Class<Flag> getResourceType() {
            return Flag.class;
        }

        @Read
        public Flag read(@IdParam IdType id) {
            Flag f = flags.get(Integer.valueOf(id.getIdPart()));
            if (f == null) {
                throw new ResourceNotFoundException(id);
            }
            return f;
        }

        @Search(allowUnknownParams = true)
        public List<Flag> search(@OptionalParam(name = "patient", chainWhitelist = {"identifier"}) ReferenceParam patient,
                @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
                @IncludeParam(allow = {"Flag:author", "Flag:subject", "Flag:patient"}) Set<Include> includes,
                HttpServletRequest request) {
            flagSearches.incrementAndGet();
            if (patient != null) {
                patientSearches.incrementAndGet();
            }
            String wanted = null;
            if (patient != null) {
                if (!"identifier".equals(patient.getChain())) {
                    throw new InvalidRequestException("only patient.identifier is supported here");
                }
                wanted = patient.getValue();
            } else if (request.getParameter("patient:identifier") != null) {
                wanted = request.getParameter("patient:identifier");
            }
            String nhs = wanted == null ? null
                    : wanted.startsWith(NHS + "|") ? wanted.substring(NHS.length() + 1) : "no-such-system";
            List<Flag> out = new ArrayList<>();
            for (Flag f : flags.values()) {
                if (nhs != null && !nhs.equals(nhsOf(f))) {
                    continue;
                }
                if (lastUpdated != null && !inRange(lastUpdated, f.getMeta().getLastUpdated())) {
                    continue;
                }
                out.add(f);
            }
            return out;
        }
    }

    static boolean inRange(DateRangeParam range, Date value) {
        ca.uhn.fhir.rest.param.DateParam lo = range.getLowerBound();
        if (lo != null && lo.getValue() != null) {
            boolean strict = lo.getPrefix() == ca.uhn.fhir.rest.param.ParamPrefixEnum.GREATERTHAN;
            if (strict ? !value.after(lo.getValue()) : value.before(lo.getValue())) {
                return false;
            }
        }
        ca.uhn.fhir.rest.param.DateParam hi = range.getUpperBound();
        if (hi != null && hi.getValue() != null) {
            boolean strict = hi.getPrefix() == ca.uhn.fhir.rest.param.ParamPrefixEnum.LESSTHAN;
            if (strict ? !value.before(hi.getValue()) : value.after(hi.getValue())) {
                return false;
            }
        }
        return true;
    }

    final class PatientProvider implements IResourceProvider {
        @Override
        public Class<Patient> getResourceType() {
            return Patient.class;
        }

        @Read
        public Patient read(@IdParam IdType id) {
            return patients.values().stream().filter(p -> p.getIdElement().getIdPart().equals(id.getIdPart()))
                    .findFirst().orElseThrow(() -> new ResourceNotFoundException(id));
        }
    }

    final class OrganizationProvider implements IResourceProvider {
        @Override
        public Class<Organization> getResourceType() {
            return Organization.class;
        }

        @Read
        public Organization read(@IdParam IdType id) {
            return orgs.values().stream().filter(o -> o.getIdElement().getIdPart().equals(id.getIdPart()))
                    .findFirst().orElseThrow(() -> new ResourceNotFoundException(id));
        }
    }

    final class EncounterProvider implements IResourceProvider {
        @Override
        public Class<Encounter> getResourceType() {
            return Encounter.class;
        }

        @Create
        public synchronized MethodOutcome create(@ResourceParam Encounter e, @ConditionalUrlParam String conditional) {
            if (conditional != null) {
                String token = URLDecoder.decode(conditional.substring(conditional.indexOf("identifier=") + 11),
                        StandardCharsets.UTF_8);
                for (Map.Entry<String, Encounter> x : encounters.entrySet()) {
                    Identifier i = x.getValue().getIdentifierFirstRep();
                    if (token.equals(i.getSystem() + "|" + i.getValue())) {
                        return new MethodOutcome(new IdType("Encounter", x.getKey()), false);
                    }
                }
            }
            encounterCreates.incrementAndGet();
            String id = "enc-" + ids.incrementAndGet();
            e.setId("Encounter/" + id);
            e.getMeta().setLastUpdated(Date.from(Instant.now()));
            encounters.put(id, e);
            return new MethodOutcome(new IdType("Encounter", id), true);
        }

        @Search
        public List<Encounter> search(@OptionalParam(name = "identifier") TokenParam identifier) {
            return new ArrayList<>(encounters.values());
        }
    }
}
