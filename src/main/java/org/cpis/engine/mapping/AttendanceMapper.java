package org.cpis.engine.mapping;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.CareSetting;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.cpis.engine.attendance.PatientIdentifier;
import org.cpis.engine.nhs.NhsNumber;

/** Applies one dialect to one parsed message. Stateless: the dialect holds everything compiled. */
final class AttendanceMapper {

    private static final FieldPath MSH_9_1 = FieldPath.compile("MSH-9-1");

    private AttendanceMapper() {
    }

    static MappingResult map(Dialect d, ParsedMessage msg) {
        Map<TargetField, String> text = new EnumMap<>(TargetField.class);
        Map<String, FieldSource> provenance = new LinkedHashMap<>();

        String type = msg.get(MSH_9_1);
        if (type == null || !d.rules().messageTypes().contains(type)) {
            return MappingResult.filtered("message type " + (type == null ? "(empty)" : type) + " is not one of "
                    + sorted(d.rules().messageTypes()) + " for dialect " + d.name(), d.name(), null);
        }
        String trigger = text(d, TargetField.TRIGGER_EVENT, msg, text, provenance);
        if (trigger == null) {
            return MappingResult.failed("no trigger event found (dialect " + d.name() + ", field triggerEvent)",
                    d.name(), null);
        }
        if (!d.rules().attendanceEvents().contains(trigger)) {
            return MappingResult.filtered("event " + trigger + " is not an attendance event for dialect " + d.name()
                    + " (rules.attendanceEvents: " + sorted(d.rules().attendanceEvents()) + ")", d.name(), trigger);
        }
        String kindText = text(d, TargetField.EVENT_KIND, msg, text, provenance);
        EventKind kind = kindText == null ? null : eventKind(kindText);
        if (kind == null) {
            return MappingResult.failed("no event kind for trigger " + trigger + " in dialect " + d.name()
                    + ": add it to the eventKind value map", d.name(), trigger);
        }
        for (TargetField f : TargetField.values()) {
            if (f.type() != TargetField.Type.IDENTIFIERS && f != TargetField.TRIGGER_EVENT
                    && f != TargetField.EVENT_KIND) {
                text(d, f, msg, text, provenance);
            }
        }
        List<PatientIdentifier> local = identifiers(d, TargetField.LOCAL_IDENTIFIERS, msg, provenance);
        List<PatientIdentifier> prior = identifiers(d, TargetField.PRIOR_IDENTIFIERS, msg, provenance);

        String nhs = text.get(TargetField.NHS_NUMBER);
        String verification = text.get(TargetField.VERIFICATION_STATUS);
        NhsNumberStatus status = status(nhs, verification, d.rules());
        provenance.put("nhsNumberStatus", new FieldSource(d.name(), statusRule(status, d.rules()),
                status == NhsNumberStatus.UNVERIFIED ? "verificationStatus" : "nhsNumber"));

        String site = text.get(TargetField.SITE_ODS_CODE);
        String trust = text.get(TargetField.TRUST_ODS_CODE);
        String settingName = text.get(TargetField.CARE_SETTING_NAME);
        CareSetting setting = site == null && trust == null && settingName == null ? null
                : new CareSetting(site, trust, settingName);
        String birth = text.get(TargetField.BIRTH_DATE);
        String time = text.get(TargetField.ATTENDANCE_TIME);
        Attendance a = new Attendance(
                text.get(TargetField.MESSAGE_CONTROL_ID),
                text.get(TargetField.SENDING_APPLICATION),
                text.get(TargetField.SENDING_FACILITY),
                trigger,
                kind,
                nhs,
                status,
                verification,
                local,
                text.get(TargetField.FAMILY_NAME),
                text.get(TargetField.GIVEN_NAME),
                birth == null ? null : LocalDate.parse(birth),
                text.get(TargetField.SEX),
                setting,
                text.get(TargetField.PATIENT_CLASS),
                text.get(TargetField.VISIT_NUMBER),
                time == null ? null : OffsetDateTime.parse(time),
                text.get(TargetField.PRIOR_NHS_NUMBER),
                prior,
                d.name());
        return MappingResult.mapped(a, provenance);
    }

    /** The NHS number rules: missing, then Modulus 11, then verification (when the dialect asks). */
    static NhsNumberStatus status(String nhs, String verification, DialectRules rules) {
        if (nhs == null || nhs.isEmpty()) {
            return NhsNumberStatus.MISSING;
        }
        if (!NhsNumber.isValid(nhs)) {
            return NhsNumberStatus.INVALID;
        }
        if (rules.requireVerified() && (verification == null || !rules.verifiedStatuses().contains(verification))) {
            return NhsNumberStatus.UNVERIFIED;
        }
        return NhsNumberStatus.VALID;
    }

    private static String statusRule(NhsNumberStatus s, DialectRules rules) {
        return switch (s) {
            case MISSING -> "no rule of nhsNumber found a value";
            case INVALID -> "fails Modulus 11 (or is not 10 digits)";
            case UNVERIFIED -> "rules.requireVerified: verificationStatus is not one of "
                    + sorted(rules.verifiedStatuses());
            case VALID -> rules.requireVerified() ? "passes Modulus 11; verified"
                    : "passes Modulus 11; rules.requireVerified is false";
        };
    }

    private static String text(Dialect d, TargetField f, ParsedMessage msg, Map<TargetField, String> text,
            Map<String, FieldSource> provenance) {
        for (FieldRule r : d.rulesFor(f)) {
            FieldRule.Hit h = r.evaluate(msg, text);
            if (h != null) {
                text.put(f, h.value());
                provenance.put(f.key(), h.source());
                return h.value();
            }
        }
        return null;
    }

    private static List<PatientIdentifier> identifiers(Dialect d, TargetField f, ParsedMessage msg,
            Map<String, FieldSource> provenance) {
        for (FieldRule r : d.rulesFor(f)) {
            FieldRule.ListHit h = r.evaluateList(msg);
            if (h != null) {
                provenance.put(f.key(), h.source());
                return h.identifiers();
            }
        }
        return List.of();
    }

    private static EventKind eventKind(String code) {
        try {
            return EventKind.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sorted(java.util.Set<String> s) {
        return String.join(",", new java.util.TreeSet<>(s));
    }
}
