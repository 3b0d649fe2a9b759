package org.cpis.engine.mapping;

/**
 * Provenance of one mapped value: which dialect file held the rule, the rule's name, and the HL7
 * path it read ({@code PID-3(1)-1}), or {@code value} for a constant, {@code from:X} for a copy.
 */
public record FieldSource(String dialect, String rule, String path) {
}
