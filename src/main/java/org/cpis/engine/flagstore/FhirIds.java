package org.cpis.engine.flagstore;

import java.util.Map;

/** Code systems, identifier systems and extension URLs the flag store speaks (DESIGN.md §3). */
public final class FhirIds {
    public static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String ODS_CODE = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String SNOMED = "http://snomed.info/sct";

    public static final String CODE_CPP = "342191000000101";
    public static final String CODE_LAC = "764841000000100";
    public static final String CODE_UNBORN = "818901000000100";

    /** Display of each flag kind the store accepts. */
    public static final Map<String, String> FLAG_CODES = Map.of(
            CODE_CPP, "Child Protection Plan",
            CODE_LAC, "Looked After Child",
            CODE_UNBORN, "Unborn child subject to Child Protection Plan");

    /** Flag extension (valueDate): the expected due date of an unborn child. */
    public static final String EXT_DUE_DATE = "https://cpis-engine.org/fhir/StructureDefinition/expected-due-date";
    /** ContactPoint extension (valueCode office-hours | emergency-duty-team) on a council's telecom. */
    public static final String EXT_CONTACT_PURPOSE = "https://cpis-engine.org/fhir/StructureDefinition/contact-purpose";
    public static final String PURPOSE_OFFICE_HOURS = "office-hours";
    public static final String PURPOSE_EMERGENCY_DUTY_TEAM = "emergency-duty-team";
    /** Prefix of a council's own flag identifier system; the ODS code follows. */
    public static final String COUNCIL_FLAG_ID_PREFIX = "https://cpis-engine.org/fhir/Id/council-flag/";

    private FhirIds() {
    }

    public static String councilFlagIdSystem(String ods) {
        return COUNCIL_FLAG_ID_PREFIX + ods;
    }
}
