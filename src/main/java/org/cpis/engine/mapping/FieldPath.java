package org.cpis.engine.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled HL7 terser path such as {@code PID-3(1)-1}, {@code /.PV1-3-4} or {@code MSH-9-2}.
 * Compiled once when the dialect loads, so mapping a message never parses path text.
 *
 * <p>Syntax: {@code [/][.]SEG[(segRep)]-field[(rep)][-component[-subcomponent]]}. Segments are
 * found by name anywhere in the message (as terser's {@code /.} does), so the message structure's
 * groups never matter; {@code /} and {@code .} prefixes are accepted for terser compatibility.
 * Repetitions are counted from 0, fields and components from 1, as in terser.
 */
public final class FieldPath {

    private static final Pattern SYNTAX = Pattern.compile(
            "^/?\\.?([A-Z][A-Z0-9]{2})(?:\\((\\d+)\\))?-(\\d+)(?:\\((\\d+)\\))?(?:-(\\d+)(?:-(\\d+))?)?$");

    private final String text;
    private final String segment;
    private final int segmentRep;
    private final int field;
    private final int rep;
    private final int component;
    private final int subcomponent;
    private final boolean componentGiven;

    private FieldPath(String text, String segment, int segmentRep, int field, int rep, int component,
            int subcomponent, boolean componentGiven) {
        this.text = text;
        this.segment = segment;
        this.segmentRep = segmentRep;
        this.field = field;
        this.rep = rep;
        this.component = component;
        this.subcomponent = subcomponent;
        this.componentGiven = componentGiven;
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong (safe to show: it only
     *         quotes the path)
     */
    public static FieldPath compile(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty HL7 path");
        }
        String t = text.trim();
        if (t.indexOf('/', 1) > 0) {
            throw new IllegalArgumentException("bad HL7 path '" + t
                    + "': group paths are not supported; name the segment (it is found anywhere in the message)");
        }
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad HL7 path '" + t
                    + "': expected terser syntax SEG-field[(rep)][-component[-subcomponent]], e.g. PID-3(0)-1");
        }
        int field = Integer.parseInt(m.group(3));
        int component = m.group(5) == null ? 1 : Integer.parseInt(m.group(5));
        int sub = m.group(6) == null ? 1 : Integer.parseInt(m.group(6));
        if (field < 1 || component < 1 || sub < 1) {
            throw new IllegalArgumentException("bad HL7 path '" + t
                    + "': fields, components and subcomponents are counted from 1");
        }
        if (m.group(1).equals("MSH") && field < 3) {
            throw new IllegalArgumentException("bad HL7 path '" + t
                    + "': MSH-1 and MSH-2 are the delimiters, not data");
        }
        return new FieldPath(t, m.group(1),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                field,
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                component, sub, m.group(5) != null);
    }

    public String text() {
        return text;
    }

    public String segment() {
        return segment;
    }

    public int segmentRep() {
        return segmentRep;
    }

    public int field() {
        return field;
    }

    public int rep() {
        return rep;
    }

    public int component() {
        return component;
    }

    public int subcomponent() {
        return subcomponent;
    }

    /** True when the path names a component (PID-3-1), false for a bare field (PID-3). */
    public boolean componentGiven() {
        return componentGiven;
    }

    /** The path of one repetition's component, for provenance: {@code PID-3(1)-1}. */
    public String describe(int repetition, int comp, int sub) {
        StringBuilder sb = new StringBuilder(segment);
        if (segmentRep > 0) {
            sb.append('(').append(segmentRep).append(')');
        }
        sb.append('-').append(field).append('(').append(repetition).append(")-").append(comp);
        if (sub > 1) {
            sb.append('-').append(sub);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
