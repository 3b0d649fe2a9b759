package org.cpis.engine.attendance;

/**
 * A patient identifier as sent in PID-3 (CX).
 *
 * @param value CX.1
 * @param assigningAuthority CX.4
 * @param typeCode CX.5
 */
public record PatientIdentifier(String value, String assigningAuthority, String typeCode) {
}
