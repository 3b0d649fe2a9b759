package org.cpis.engine.lookup;

import ca.uhn.fhir.rest.api.MethodOutcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.CareSetting;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Records a matched attendance in the flag store's history as an Encounter (DESIGN.md §2, "last 25
 * unscheduled attendances"). Idempotent: a conditional create on the Encounter's identifier, so a
 * redelivered attendance or an A08 of the same visit leaves one Encounter.
 *
 * <p>Bean name {@code attendanceHistoryRecorder}; the route calls {@link #record(Attendance)}.
 */
public final class AttendanceHistoryRecorder {

    /** Visit numbers are only unique per sender: the system names the sending site. */
    public static final String VISIT_SYSTEM_PREFIX = "https://cpis-engine.org/Id/visit-number/";
    /** Used when the attendance has no visit number: the message control id, per sending facility. */
    public static final String CONTROL_ID_SYSTEM_PREFIX = "https://cpis-engine.org/Id/message-control-id/";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private final FlagStoreGateway gateway;

    public AttendanceHistoryRecorder(FlagStoreGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Creates the Encounter unless the store has one with the same identifier.
     *
     * @return the Encounter id the store gave or already had (may be null if the store does not say)
     * @throws FlagLookupException when the store cannot answer (retry)
     */
    public String record(Attendance a) {
        Encounter e = toEncounter(a);
        Identifier id = e.getIdentifierFirstRep();
        String condition = "Encounter?identifier=" + enc(id.getSystem()) + "%7C" + enc(id.getValue());
        MethodOutcome out = gateway.createIfNoneExist(e, condition);
        return out == null || out.getId() == null ? null : out.getId().toUnqualifiedVersionless().getValue();
    }

    public static Encounter toEncounter(Attendance a) {
        Encounter e = new Encounter();
        e.addIdentifier(identifier(a));
        e.setStatus(switch (a.kind()) {
            case ADMISSION -> Encounter.EncounterStatus.INPROGRESS;
            case DISCHARGE -> Encounter.EncounterStatus.FINISHED;
            case CANCEL -> Encounter.EncounterStatus.CANCELLED;
            default -> Encounter.EncounterStatus.ARRIVED;
        });
        e.setClass_(classOf(a.patientClass()));
        e.setSubject(new Reference().setIdentifier(
                new Identifier().setSystem(FlagBundleReader.NHS_SYSTEM).setValue(a.nhsNumber())));
        if (a.attendanceTime() != null) {
            e.getPeriod().setStart(Date.from(a.attendanceTime().toInstant()));
        }
        CareSetting cs = a.careSetting();
        if (cs != null && cs.siteOdsCode() != null) {
            Reference site = new Reference().setIdentifier(
                    new Identifier().setSystem(FlagBundleReader.ODS_SYSTEM).setValue(cs.siteOdsCode()));
            if (cs.name() != null) {
                site.setDisplay(cs.name());
            }
            e.setServiceProvider(site);
            e.addLocation().setLocation(site.copy());
        }
        return e;
    }

    static Identifier identifier(Attendance a) {
        String sender = a.careSetting() != null && a.careSetting().siteOdsCode() != null
                ? a.careSetting().siteOdsCode()
                : nonNull(a.sendingFacility());
        if (a.visitNumber() != null && !a.visitNumber().isBlank()) {
            return new Identifier().setSystem(VISIT_SYSTEM_PREFIX + sender).setValue(a.visitNumber());
        }
        return new Identifier().setSystem(CONTROL_ID_SYSTEM_PREFIX + nonNull(a.sendingFacility()))
                .setValue(a.messageControlId());
    }

    static Coding classOf(String patientClass) {
        String pc = patientClass == null ? "" : patientClass.toLowerCase(java.util.Locale.ROOT);
        return switch (pc) {
            case "emergency", "e" -> new Coding(ACT_CODE, "EMER", "emergency");
            case "inpatient", "i" -> new Coding(ACT_CODE, "IMP", "inpatient encounter");
            case "outpatient", "o" -> new Coding(ACT_CODE, "AMB", "ambulatory");
            case "preadmit", "p" -> new Coding(ACT_CODE, "PRENC", "pre-admission");
            default -> new Coding(ACT_CODE, "EMER", "emergency");
        };
    }

    private static String nonNull(String s) {
        return s == null || s.isBlank() ? "unknown" : s.trim();
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
