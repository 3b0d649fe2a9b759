package org.cpis.engine.lookup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads Flags out of search-result pages and resolves their references (author Organization,
 * subject Patient) against the included resources, the contained ones, or the reference's own
 * identifier: a store may use literal or logical references, and both are legal FHIR.
 */
final class FlagBundleReader {

    static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

    private final Map<String, Resource> byRef = new HashMap<>();
    private final List<Flag> flags = new ArrayList<>();

    FlagBundleReader(List<Bundle> pages) {
        for (Bundle page : pages) {
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                Resource r = e.getResource();
                if (r == null) {
                    continue;
                }
                if (e.hasFullUrl()) {
                    byRef.put(e.getFullUrl(), r);
                }
                if (r.getIdElement().hasIdPart()) {
                    byRef.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
                }
                boolean include = e.hasSearch() && e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE;
                if (r instanceof Flag f && !include) {
                    flags.add(f);
                }
            }
        }
    }

    List<Flag> flags() {
        return flags;
    }

    static String flagId(Flag f) {
        IdType id = f.getIdElement();
        return id.hasIdPart() ? "Flag/" + id.getIdPart() : null;
    }

    Organization author(Flag f) {
        return f.hasAuthor() ? resolve(f, f.getAuthor(), Organization.class) : null;
    }

    /** Council ODS code: from the author Organization, else from the reference's identifier. */
    String councilOds(Flag f, Organization org) {
        if (org != null) {
            String ods = value(org.getIdentifier(), ODS_SYSTEM);
            if (ods != null) {
                return ods;
            }
        }
        Reference a = f.getAuthor();
        if (a != null && a.hasIdentifier() && ODS_SYSTEM.equals(a.getIdentifier().getSystem())) {
            return a.getIdentifier().getValue();
        }
        return null;
    }

    static String councilName(Flag f, Organization org) {
        if (org != null && org.hasName()) {
            return org.getName();
        }
        return f.hasAuthor() && f.getAuthor().hasDisplay() ? f.getAuthor().getDisplay() : null;
    }

    /** NHS number of the flag's subject, or null if it cannot be told from the page. */
    String subjectNhsNumber(Flag f) {
        Reference s = f.getSubject();
        if (s == null) {
            return null;
        }
        if (s.hasIdentifier() && NHS_SYSTEM.equals(s.getIdentifier().getSystem())) {
            return s.getIdentifier().getValue();
        }
        Patient p = resolve(f, s, Patient.class);
        return p == null ? null : value(p.getIdentifier(), NHS_SYSTEM);
    }

    private <T extends Resource> T resolve(Flag f, Reference ref, Class<T> type) {
        IBaseResource direct = ref.getResource();
        if (type.isInstance(direct)) {
            return type.cast(direct);
        }
        if (!ref.hasReference()) {
            return null;
        }
        String r = ref.getReference();
        if (r.startsWith("#")) {
            for (Resource c : f.getContained()) {
                if (type.isInstance(c) && r.substring(1).equals(c.getIdElement().getIdPart())) {
                    return type.cast(c);
                }
            }
            return null;
        }
        Resource found = byRef.get(r);
        if (found == null) {
            IdType id = new IdType(r);
            if (id.hasResourceType() && id.hasIdPart()) {
                found = byRef.get(id.getResourceType() + "/" + id.getIdPart());
            }
        }
        return type.isInstance(found) ? type.cast(found) : null;
    }

    private static String value(List<Identifier> ids, String system) {
        for (Identifier i : ids) {
            if (system.equals(i.getSystem()) && i.hasValue()) {
                return i.getValue();
            }
        }
        return null;
    }
}
