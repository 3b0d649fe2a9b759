package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.function.BiFunction;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.OtherResources;
import org.cpis.engine.flagstore.store.SearchParams;
import org.cpis.engine.flagstore.store.Session;
import org.cpis.engine.flagstore.store.Where;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/** Resource providers for Patient, Organization, Encounter and AuditEvent. */
public final class OtherProviders {
    private OtherProviders() {
    }

    static void noControls(SearchParams sp, String type, boolean sortAllowed) {
        if (sp.control("_include") != null || sp.control("_revinclude") != null) {
            throw new InvalidRequestException("_include and _revinclude are not supported on " + type);
        }
        if (!sortAllowed && sp.control("_sort") != null) {
            throw new InvalidRequestException("_sort is not supported on " + type);
        }
    }

    static <T extends Resource> IBundleProvider search(FlagStore store, OtherResources other, RequestDetails rd, Class<T> type,
                                                       BiFunction<Session, SearchParams, OtherResources.Query> query) {
        Caller caller = Requests.caller(rd);
        String remote = Requests.remote(rd);
        SearchParams sp = SearchParams.parse(rd.getParameters());
        noControls(sp, type.getSimpleName(), type == Encounter.class);
        int pageSize = sp.count(store.settings().defaultPageSize(), store.settings().maxPageSize());
        OtherResources.Query q = Units.run(store, caller, remote, s -> query.apply(s, sp));
        return new PagedResults(caller, pageSize,
                () -> Units.run(store, caller, remote, s -> other.count(s, q)),
                (offset, limit) -> Units.run(store, caller, remote, s -> other.page(s, type, q, offset, limit)));
    }

    /** Patient: minimal (NHS number, name, birth date). */
    public static final class PatientProvider implements IResourceProvider {
        private final FlagStore store;
        private final OtherResources other;

        PatientProvider(FlagStore store, OtherResources other) {
            this.store = store;
            this.other = other;
        }

        @Override
        public Class<Patient> getResourceType() {
            return Patient.class;
        }

        @Read
        public Patient read(@IdParam IdType id, RequestDetails rd) {
            return Units.run(store, rd, s -> other.readPatient(s, id.getIdPart()));
        }

        @Create
        public MethodOutcome create(@ResourceParam Patient p, RequestDetails rd) {
            return Units.outcome(Units.run(store, rd, s -> other.writePatient(s, null, p, null)));
        }

        @Update
        public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient p, @ConditionalUrlParam String cond, RequestDetails rd) {
            return Units.outcome(Units.run(store, rd, s -> other.writePatient(s, cond != null ? null : id.getIdPart(), p, cond)));
        }

        @Search(allowUnknownParams = true)
        public IBundleProvider search(RequestDetails rd) {
            return OtherProviders.search(store, other, rd, Patient.class, other::patientQuery);
        }
    }

    /** Organization: councils with ODS code and their office-hours and emergency-duty-team phones. */
    public static final class OrganizationProvider implements IResourceProvider {
        private final FlagStore store;
        private final OtherResources other;

        OrganizationProvider(FlagStore store, OtherResources other) {
            this.store = store;
            this.other = other;
        }

        @Override
        public Class<Organization> getResourceType() {
            return Organization.class;
        }

        @Read
        public Organization read(@IdParam IdType id, RequestDetails rd) {
            return Units.run(store, rd, s -> other.readOrganization(s, id.getIdPart()));
        }

        @Create
        public MethodOutcome create(@ResourceParam Organization o, RequestDetails rd) {
            return Units.outcome(Units.run(store, rd, s -> other.writeOrganization(s, null, o, null)));
        }

        @Update
        public MethodOutcome update(@IdParam IdType id, @ResourceParam Organization o, @ConditionalUrlParam String cond,
                                    RequestDetails rd) {
            return Units.outcome(Units.run(store, rd, s -> other.writeOrganization(s, cond != null ? null : id.getIdPart(), o, cond)));
        }

        @Search(allowUnknownParams = true)
        public IBundleProvider search(RequestDetails rd) {
            return OtherProviders.search(store, other, rd, Organization.class, other::organizationQuery);
        }
    }

    /** Encounter: the attendance history of flagged patients. */
    public static final class EncounterProvider implements IResourceProvider {
        private final FlagStore store;
        private final OtherResources other;

        EncounterProvider(FlagStore store, OtherResources other) {
            this.store = store;
            this.other = other;
        }

        @Override
        public Class<Encounter> getResourceType() {
            return Encounter.class;
        }

        @Read
        public Encounter read(@IdParam IdType id, RequestDetails rd) {
            return Units.run(store, rd, s -> other.readEncounter(s, id.getIdPart()));
        }

        @Create
        public MethodOutcome create(@ResourceParam Encounter e, @ConditionalUrlParam String ifNoneExist, RequestDetails rd) {
            return Units.outcome(Units.run(store, rd, s -> other.createEncounter(s, e, ifNoneExist)));
        }

        @Search(allowUnknownParams = true)
        public IBundleProvider search(RequestDetails rd) {
            return OtherProviders.search(store, other, rd, Encounter.class, other::encounterQuery);
        }
    }

    /** AuditEvent: every read and write of a flag; councils see their own flags' records. */
    public static final class AuditEventProvider implements IResourceProvider {
        private final FlagStore store;
        private final OtherResources other;

        AuditEventProvider(FlagStore store, OtherResources other) {
            this.store = store;
            this.other = other;
        }

        @Override
        public Class<AuditEvent> getResourceType() {
            return AuditEvent.class;
        }

        @Read
        public AuditEvent read(@IdParam IdType id, RequestDetails rd) {
            return Units.run(store, rd, s -> other.readAudit(s, id.getIdPart()));
        }

        @Search(allowUnknownParams = true)
        public IBundleProvider search(RequestDetails rd) {
            Caller caller = Requests.caller(rd);
            String remote = Requests.remote(rd);
            SearchParams sp = SearchParams.parse(rd.getParameters());
            noControls(sp, "AuditEvent", false);
            int pageSize = sp.count(store.settings().defaultPageSize(), store.settings().maxPageSize());
            Where w = Units.run(store, caller, remote, s -> other.auditWhere(s, sp));
            return new PagedResults(caller, pageSize,
                    () -> Units.run(store, caller, remote, s -> other.countAudit(s, w)),
                    (offset, limit) -> Units.run(store, caller, remote, s -> other.pageAudit(s, w, offset, limit)));
        }
    }
}
