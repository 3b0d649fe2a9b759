package org.cpis.engine.notify;

/** Canonical URLs and identifier systems of the notification message (docs/notification-message.md). */
public final class NotificationCodes {
    public static final String BASE = "https://cpis-engine.org/fhir";
    public static final String EVENT_SYSTEM = BASE + "/CodeSystem/cpis-notification-event";
    public static final String EVENT_VALUE_SET = BASE + "/ValueSet/cpis-notification-event";
    public static final String MESSAGE_DEFINITION_NOTIFICATION = BASE + "/MessageDefinition/cpis-attendance-notification";
    public static final String MESSAGE_DEFINITION_CANCELLATION = BASE + "/MessageDefinition/cpis-attendance-cancellation";
    public static final String PROFILE_BUNDLE = BASE + "/StructureDefinition/cpis-notification-bundle";
    public static final String PROFILE_MESSAGE_HEADER = BASE + "/StructureDefinition/cpis-notification-message-header";
    /** Bundle.identifier system: the value is the notification id, the same on every redelivery. */
    public static final String NOTIFICATION_ID_SYSTEM = BASE + "/Id/notification-id";
    /** Encounter.identifier system for the care setting's visit number (PV1-19). */
    public static final String VISIT_NUMBER_SYSTEM = BASE + "/Id/visit-number";
    /** Flag.identifier system for the flag's logical id in the flag store. */
    public static final String FLAG_STORE_ID_SYSTEM = BASE + "/Id/flag-store-id";
    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private NotificationCodes() {
    }
}
