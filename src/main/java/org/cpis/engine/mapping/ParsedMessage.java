package org.cpis.engine.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HL7 v2 message, parsed segment by segment on demand. The text is split into segments once;
 * a segment is handed to HAPI's {@code PipeParser} (into the canonical v2.5.1 segment class, or a
 * {@code GenericSegment} for Z-segments) only the first time a path reads it. Building HAPI's whole
 * message structure costs about four times as much as parsing the four or five segments a dialect
 * reads, and structure (groups) never matters to a dialect. Not thread-safe: one per message.
 */
public final class ParsedMessage {

    private final Hl7Parser.Session session;
    private final EncodingCharacters encoding;
    private final Map<String, List<Object>> segments = new HashMap<>(16);

    ParsedMessage(Hl7Parser.Session session, String cr) throws Hl7Parser.ParseException {
        this.session = session;
        if (cr.length() < 8 || !cr.startsWith("MSH")) {
            throw new Hl7Parser.ParseException("not an HL7 v2 message: it does not start with an MSH segment");
        }
        char fieldSep = cr.charAt(3);
        int end = cr.indexOf(fieldSep, 4);
        if (end < 0 || end - 4 < 4 || Character.isLetterOrDigit(fieldSep)) {
            throw new Hl7Parser.ParseException("MSH-1/MSH-2 do not hold valid delimiters");
        }
        this.encoding = new EncodingCharacters(fieldSep, cr.substring(4, end));
        int start = 0;
        while (start < cr.length()) {
            int cut = cr.indexOf('\r', start);
            if (cut < 0) {
                cut = cr.length();
            }
            if (cut - start >= 3) {
                String name = cr.substring(start, start + 3);
                segments.computeIfAbsent(name, k -> new ArrayList<>(1)).add(cr.substring(start, cut));
            }
            start = cut + 1;
        }
    }

    /**
     * The {@code rep}th segment named {@code name} in message order, parsed; null when absent.
     *
     * @throws Hl7Parser.SegmentException when HAPI cannot parse the segment
     */
    public Segment segment(String name, int rep) {
        List<Object> list = segments.get(name);
        if (list == null || rep >= list.size()) {
            return null;
        }
        Object o = list.get(rep);
        if (o instanceof Segment s) {
            return s;
        }
        Segment s = session.newSegment(name);
        try {
            session.parser().parse(s, (String) o, encoding);
        } catch (HL7Exception e) {
            throw new Hl7Parser.SegmentException("HL7 parse error in segment " + name + " (" + e.getError().getMessage() + ")");
        }
        list.set(rep, s);
        return s;
    }

    /** How many repetitions the path's field has (0 when the segment is absent). */
    public int repetitions(FieldPath path) {
        Segment seg = segment(path.segment(), path.segmentRep());
        if (seg == null) {
            return 0;
        }
        try {
            return seg.getField(path.field()).length;
        } catch (HL7Exception e) {
            return 0; // field number beyond what this segment can hold
        }
    }

    /** The value at the path, using the path's own repetition and component; null when empty. */
    public String get(FieldPath path) {
        return get(path, path.rep(), path.component(), path.subcomponent());
    }

    /** The value of one repetition/component of the path's field; null when absent or empty. */
    public String get(FieldPath path, int rep, int component, int subcomponent) {
        Segment seg = segment(path.segment(), path.segmentRep());
        if (seg == null) {
            return null;
        }
        try {
            Type[] reps = seg.getField(path.field());
            if (rep >= reps.length) {
                return null;
            }
            String v = Terser.getPrimitive(reps[rep], component, subcomponent).getValue();
            return v == null || v.isEmpty() ? null : v;
        } catch (HL7Exception e) {
            return null; // a field this segment cannot hold reads as empty
        }
    }
}
