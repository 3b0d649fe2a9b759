package org.cpis.engine.mapping;

import java.util.List;
import java.util.Set;

/**
 * The {@code rules:} block of a dialect: which messages are attendances and how NHS numbers are
 * judged.
 *
 * @param messageTypes MSH-9.1 values handled (default ADT); others are filtered
 * @param attendanceEvents trigger events that count as an attendance; others are filtered
 * @param requireVerified whether an NHS number must carry a verified status to be looked up
 * @param verifiedStatuses verification status values (PID-32) that mean "verified"
 */
public record DialectRules(Set<String> messageTypes, Set<String> attendanceEvents, boolean requireVerified,
        Set<String> verifiedStatuses) {

    public static final List<String> DEFAULT_MESSAGE_TYPES = List.of("ADT");
    public static final List<String> DEFAULT_ATTENDANCE_EVENTS = List.of("A01", "A04", "A08", "A03", "A11", "A13", "A40");
    public static final List<String> DEFAULT_VERIFIED_STATUSES = List.of("01", "NSTS01");

    public DialectRules {
        messageTypes = Set.copyOf(messageTypes);
        attendanceEvents = Set.copyOf(attendanceEvents);
        verifiedStatuses = Set.copyOf(verifiedStatuses);
    }
}
