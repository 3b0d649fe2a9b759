package org.cpis.engine.mapping;

import java.util.Map;
import org.cpis.engine.attendance.Attendance;

/**
 * What mapping one message gave: an attendance (with where each value came from), or a message
 * filtered out on purpose, or a failure. Reasons never hold patient data, so they may be logged
 * and stored on dead-letter records.
 *
 * @param outcome which of the three
 * @param attendance the attendance when MAPPED, else null
 * @param reason why it was FILTERED or FAILED; null when MAPPED
 * @param dialect name of the dialect used, null when the message could not be parsed
 * @param triggerEvent the trigger event when known
 * @param provenance attendance field key (as in the dialect's fields:) to its source, plus
 *        {@code nhsNumberStatus}
 */
public record MappingResult(Outcome outcome, Attendance attendance, String reason, String dialect,
        String triggerEvent, Map<String, FieldSource> provenance) {

    public enum Outcome { MAPPED, FILTERED, FAILED }

    public MappingResult {
        provenance = provenance == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(provenance));
    }

    public static MappingResult mapped(Attendance a, Map<String, FieldSource> provenance) {
        return new MappingResult(Outcome.MAPPED, a, null, a.dialect(), a.triggerEvent(), provenance);
    }

    public static MappingResult filtered(String reason, String dialect, String trigger) {
        return new MappingResult(Outcome.FILTERED, null, reason, dialect, trigger, null);
    }

    public static MappingResult failed(String reason, String dialect, String trigger) {
        return new MappingResult(Outcome.FAILED, null, reason, dialect, trigger, null);
    }

    public boolean isMapped() {
        return outcome == Outcome.MAPPED;
    }

    public boolean isFiltered() {
        return outcome == Outcome.FILTERED;
    }

    public boolean isFailed() {
        return outcome == Outcome.FAILED;
    }
}
