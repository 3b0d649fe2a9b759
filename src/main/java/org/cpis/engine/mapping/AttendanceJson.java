package org.cpis.engine.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.PatientIdentifier;

/**
 * The JSON view of a mapping result that {@code cpis-engine map} prints and the samples'
 * {@code *.expected.json} files hold (there without {@code provenance}). Field order is fixed so
 * that diffs stay readable.
 */
public final class AttendanceJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AttendanceJson() {
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    /** One result as an ordered map; {@code withProvenance} adds where each value came from. */
    public static Map<String, Object> toMap(MappingResult r, boolean withProvenance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        m.put("dialect", r.dialect());
        m.put("triggerEvent", r.triggerEvent());
        if (!r.isMapped()) {
            m.put("reason", r.reason());
            return m;
        }
        Attendance a = r.attendance();
        m.put("nhsNumberStatus", a.nhsNumberStatus().code());
        m.put("attendance", attendance(a));
        if (withProvenance) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (Map.Entry<String, FieldSource> e : r.provenance().entrySet()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("dialect", e.getValue().dialect());
                s.put("rule", e.getValue().rule());
                s.put("path", e.getValue().path());
                p.put(e.getKey(), s);
            }
            m.put("provenance", p);
        }
        return m;
    }

    /** The attendance's own fields, dates in ISO form. */
    public static Map<String, Object> attendance(Attendance a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageControlId", a.messageControlId());
        m.put("sendingApplication", a.sendingApplication());
        m.put("sendingFacility", a.sendingFacility());
        m.put("triggerEvent", a.triggerEvent());
        m.put("kind", a.kind() == null ? null : a.kind().code());
        m.put("nhsNumber", a.nhsNumber());
        m.put("nhsNumberStatus", a.nhsNumberStatus().code());
        m.put("verificationStatus", a.verificationStatus());
        m.put("localIdentifiers", identifiers(a.localIdentifiers()));
        m.put("familyName", a.familyName());
        m.put("givenName", a.givenName());
        m.put("birthDate", a.birthDate() == null ? null : a.birthDate().toString());
        m.put("sex", a.sex());
        Map<String, Object> cs = new LinkedHashMap<>();
        cs.put("siteOdsCode", a.careSetting() == null ? null : a.careSetting().siteOdsCode());
        cs.put("trustOdsCode", a.careSetting() == null ? null : a.careSetting().trustOdsCode());
        cs.put("name", a.careSetting() == null ? null : a.careSetting().name());
        m.put("careSetting", cs);
        m.put("patientClass", a.patientClass());
        m.put("visitNumber", a.visitNumber());
        m.put("attendanceTime", a.attendanceTime() == null ? null
                : a.attendanceTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("priorNhsNumber", a.priorNhsNumber());
        m.put("priorIdentifiers", identifiers(a.priorIdentifiers()));
        m.put("dialect", a.dialect());
        return m;
    }

    private static List<Object> identifiers(List<PatientIdentifier> ids) {
        List<Object> out = new ArrayList<>();
        for (PatientIdentifier id : ids) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", id.value());
            m.put("assigningAuthority", id.assigningAuthority());
            m.put("typeCode", id.typeCode());
            out.add(m);
        }
        return out;
    }
}
