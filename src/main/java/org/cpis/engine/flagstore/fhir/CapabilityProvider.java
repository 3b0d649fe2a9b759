package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.annotation.Metadata;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IServerConformanceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Date;
import org.cpis.engine.flagstore.FhirIds;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalDeleteStatus;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * The CapabilityStatement, written by hand so it says exactly what the store does: the interactions,
 * the search parameters (including the store's own {@code status}) and the bearer-token security.
 */
public final class CapabilityProvider implements IServerConformanceProvider<CapabilityStatement> {
    private final Date published = new Date();

    /**
     * The statement needs nothing from the server. Implemented because the server looks this method
     * up by reflection and, missing, logged a warning with a stack trace at every start.
     */
    @Override
    public void setRestfulServer(RestfulServer server) {
        // nothing to keep
    }

    @Override
    @Metadata
    public CapabilityStatement getServerConformance(HttpServletRequest request, RequestDetails rd) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(published);
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(org.hl7.fhir.r4.model.Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.addFormat("application/fhir+xml");
        cs.getSoftware().setName("cpis-engine flag store");
        cs.getImplementation().setDescription("Embedded FHIR R4 flag store of cpis-engine")
                .setUrl(rd.getFhirServerBase());
        CapabilityStatementRestComponent rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.getSecurity().addService(new CodeableConcept().setText("Bearer token"))
                .setDescription("Authorization: Bearer <token>; roles admin, lookup, council:<ODS>. /metadata is open.");
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION)
                .setDocumentation("Atomic: one database transaction. Entries: POST/PUT/DELETE Flag, POST Encounter, POST/PUT Organization and Patient (admin).");
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH)
                .setDocumentation("Each entry on its own; used by the bulk CSV upload.");

        CapabilityStatementRestResourceComponent flag = resource(rest, "Flag",
                TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.CREATE,
                TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE, TypeRestfulInteraction.HISTORYINSTANCE,
                TypeRestfulInteraction.SEARCHTYPE);
        flag.setVersioning(ResourceVersionPolicy.VERSIONED).setReadHistory(true).setUpdateCreate(false)
                .setConditionalCreate(true).setConditionalUpdate(true).setConditionalDelete(ConditionalDeleteStatus.MULTIPLE);
        flag.addSearchInclude("Flag:author");
        flag.addSearchInclude("Flag:subject");
        flag.addSearchInclude("Flag:patient");
        param(flag, "_id", SearchParamType.TOKEN, "Logical id");
        param(flag, "_lastUpdated", SearchParamType.DATE, "When the flag was last changed");
        param(flag, "identifier", SearchParamType.TOKEN, "The council's own flag identifier");
        param(flag, "patient", SearchParamType.REFERENCE,
                "Patient; also patient:identifier=" + FhirIds.NHS_NUMBER + "|{nhs} and chained patient.identifier=...");
        param(flag, "subject", SearchParamType.REFERENCE, "Same forms as patient");
        param(flag, "author", SearchParamType.REFERENCE, "Council Organization; also author:identifier and author.identifier (ODS code)");
        param(flag, "code", SearchParamType.TOKEN, FhirIds.SNOMED + "|{code}");
        param(flag, "date", SearchParamType.DATE, "Flag.period overlaps (eq, ge, gt, le, lt)");
        param(flag, "status", SearchParamType.TOKEN, "Store-defined (R4 defines none): active = visible now (current, "
                + "ended within the configured days, unborn until due date + configured days); inactive; entered-in-error")
                .setDefinition("https://cpis-engine.org/fhir/SearchParameter/flag-status");
        flag.setDocumentation("delete sets status entered-in-error (a new version). Visibility extension: " + FhirIds.EXT_DUE_DATE);

        CapabilityStatementRestResourceComponent patient = resource(rest, "Patient", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.SEARCHTYPE);
        patient.setConditionalUpdate(true).setUpdateCreate(false);
        param(patient, "_id", SearchParamType.TOKEN, "Logical id");
        param(patient, "identifier", SearchParamType.TOKEN, "NHS number");

        CapabilityStatementRestResourceComponent org = resource(rest, "Organization", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.SEARCHTYPE);
        org.setConditionalUpdate(true).setUpdateCreate(false);
        param(org, "_id", SearchParamType.TOKEN, "Logical id");
        param(org, "identifier", SearchParamType.TOKEN, "ODS code");
        param(org, "name", SearchParamType.STRING, "Starts with");

        CapabilityStatementRestResourceComponent enc = resource(rest, "Encounter", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.CREATE, TypeRestfulInteraction.SEARCHTYPE);
        enc.setConditionalCreate(true);
        param(enc, "_id", SearchParamType.TOKEN, "Logical id");
        param(enc, "identifier", SearchParamType.TOKEN, "Visit identifier");
        param(enc, "patient", SearchParamType.REFERENCE, "Also patient:identifier and patient.identifier (NHS number)");
        param(enc, "subject", SearchParamType.REFERENCE, "Same forms as patient");
        param(enc, "date", SearchParamType.DATE, "Attendance time (Encounter.period.start); _sort=date or -date");

        CapabilityStatementRestResourceComponent audit = resource(rest, "AuditEvent", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.SEARCHTYPE);
        param(audit, "entity", SearchParamType.REFERENCE, "The flag read or written (Flag/{id})");
        param(audit, "date", SearchParamType.DATE, "When it was recorded");
        return cs;
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatementRestComponent rest, String type,
                                                                     TypeRestfulInteraction... interactions) {
        CapabilityStatementRestResourceComponent r = rest.addResource().setType(type);
        r.setProfile("http://hl7.org/fhir/StructureDefinition/" + type);
        for (TypeRestfulInteraction i : interactions) {
            r.addInteraction().setCode(i);
        }
        return r;
    }

    private static CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent param(
            CapabilityStatementRestResourceComponent r, String name, SearchParamType type, String doc) {
        return r.addSearchParam().setName(name).setType(type).setDocumentation(doc);
    }
}
