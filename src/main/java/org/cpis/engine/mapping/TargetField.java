package org.cpis.engine.mapping;

import java.util.HashMap;
import java.util.Map;

/**
 * The attendance fields a dialect can fill, in the order they are mapped (a rule's {@code from:}
 * may only name a field earlier in this list).
 */
public enum TargetField {
    MESSAGE_CONTROL_ID("messageControlId", Type.TEXT, "Message control id (MSH-10)."),
    SENDING_APPLICATION("sendingApplication", Type.TEXT, "Sending application (MSH-3)."),
    SENDING_FACILITY("sendingFacility", Type.TEXT, "Sending facility (MSH-4)."),
    TRIGGER_EVENT("triggerEvent", Type.TEXT, "Trigger event code, e.g. A04 (MSH-9.2, else EVN-1). Required."),
    EVENT_KIND("eventKind", Type.EVENT_KIND,
            "arrival, admission, update, discharge, cancel or merge; usually valueMap eventKind of triggerEvent. Required."),
    NHS_NUMBER("nhsNumber", Type.TEXT, "The NHS number; the NHS number rules then decide its status."),
    VERIFICATION_STATUS("verificationStatus", Type.TEXT, "NHS number verification status as sent (PID-32)."),
    LOCAL_IDENTIFIERS("localIdentifiers", Type.IDENTIFIERS, "Local identifiers (MRNs): a list of CX repetitions."),
    FAMILY_NAME("familyName", Type.TEXT, "Family name (PID-5.1)."),
    GIVEN_NAME("givenName", Type.TEXT, "Given name (PID-5.2)."),
    BIRTH_DATE("birthDate", Type.DATE, "Date of birth; the rule must end with the date function."),
    SEX("sex", Type.TEXT, "Administrative sex as sent (PID-8)."),
    SITE_ODS_CODE("siteOdsCode", Type.TEXT, "ODS code of the site attended (PV1-3.4, else MSH-4)."),
    TRUST_ODS_CODE("trustOdsCode", Type.TEXT, "ODS code of the trust (PV1-3.11)."),
    CARE_SETTING_NAME("careSettingName", Type.TEXT, "Display name of the care setting."),
    PATIENT_CLASS("patientClass", Type.TEXT, "Patient class (PV1-2) after a value map, e.g. emergency."),
    VISIT_NUMBER("visitNumber", Type.TEXT, "Visit number (PV1-19)."),
    ATTENDANCE_TIME("attendanceTime", Type.DATETIME,
            "When the attendance happened (PV1-44, else EVN-6, else EVN-2); the rule must end with datetime."),
    PRIOR_NHS_NUMBER("priorNhsNumber", Type.TEXT, "A40 merge: NHS number of the record merged away (MRG-1)."),
    PRIOR_IDENTIFIERS("priorIdentifiers", Type.IDENTIFIERS, "A40 merge: the prior identifiers (MRG-1 repetitions).");

    /** What kind of value the field holds, which decides how its rules are checked. */
    public enum Type { TEXT, DATE, DATETIME, EVENT_KIND, IDENTIFIERS }

    private static final Map<String, TargetField> BY_KEY = new HashMap<>();

    static {
        for (TargetField f : values()) {
            BY_KEY.put(f.key, f);
        }
    }

    private final String key;
    private final Type type;
    private final String meaning;

    TargetField(String key, Type type, String meaning) {
        this.key = key;
        this.type = type;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public String meaning() {
        return meaning;
    }

    /** The field for a YAML key, or null. */
    public static TargetField byKey(String key) {
        return BY_KEY.get(key);
    }
}
