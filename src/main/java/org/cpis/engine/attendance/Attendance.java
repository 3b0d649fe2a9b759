package org.cpis.engine.attendance;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One ADT event, mapped from whatever dialect the sender speaks into the engine's own terms.
 * Mapping code builds it; lookup and notification read it. Free of HL7 and Camel types so that
 * every later stage can be tested without either.
 *
 * @param messageControlId MSH-10 of the message this came from
 * @param sendingApplication MSH-3
 * @param sendingFacility MSH-4
 * @param triggerEvent trigger event code, e.g. {@code A04}
 * @param kind what the event means for an attendance
 * @param nhsNumber the NHS number as found (normalised, may be invalid), or null
 * @param nhsNumberStatus whether the number may be looked up
 * @param verificationStatus PID-32 as sent, or null
 * @param localIdentifiers other patient identifiers (MRNs), never looked up
 * @param familyName patient family name
 * @param givenName patient given name(s)
 * @param birthDate date of birth
 * @param sex administrative sex code as sent (M, F, U, ...)
 * @param careSetting where the patient attended
 * @param patientClass PV1-2 after the dialect's value map (e.g. {@code emergency})
 * @param visitNumber PV1-19
 * @param attendanceTime when the attendance happened (arrival, admission, ...)
 * @param priorNhsNumber for a merge, the NHS number of the record merged away, or null
 * @param priorIdentifiers for a merge, the prior identifiers
 * @param dialect name of the dialect that mapped the message
 */
public record Attendance(
        String messageControlId,
        String sendingApplication,
        String sendingFacility,
        String triggerEvent,
        EventKind kind,
        String nhsNumber,
        NhsNumberStatus nhsNumberStatus,
        String verificationStatus,
        List<PatientIdentifier> localIdentifiers,
        String familyName,
        String givenName,
        LocalDate birthDate,
        String sex,
        CareSetting careSetting,
        String patientClass,
        String visitNumber,
        OffsetDateTime attendanceTime,
        String priorNhsNumber,
        List<PatientIdentifier> priorIdentifiers,
        String dialect) {

    public Attendance {
        localIdentifiers = localIdentifiers == null ? List.of() : List.copyOf(localIdentifiers);
        priorIdentifiers = priorIdentifiers == null ? List.of() : List.copyOf(priorIdentifiers);
    }

    /** True when this attendance may be looked up in the flag store. */
    public boolean lookupAllowed() {
        return nhsNumberStatus == NhsNumberStatus.VALID;
    }
}
