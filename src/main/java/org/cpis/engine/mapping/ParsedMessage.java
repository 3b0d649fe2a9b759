package org.cpis.engine.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HL7 v2 message, parsed on demand, field by field. The text is split into segments once; the
 * first time a path reads a field, that field's repetitions are handed to HAPI's
 * {@code PipeParser} as the field's type in the canonical v2.5.1 segment class (a
 * {@code GenericSegment} for Z-segments), and components are read with {@code Terser}. So HAPI
 * still does the typing and unescaping, but only for the fifteen or so fields a dialect reads:
 * parsing HAPI's whole message structure costs several times more, and its groups never matter
 * to a dialect. Not thread-safe: one per message.
 */
public final class ParsedMessage {

    private final Hl7Parser.Session session;
    private final EncodingCharacters encoding;
    private final char fieldSep;
    private final char repSep;
    private final Map<String, List<Seg>> segments = new HashMap<>(16);

    /** One segment: its text, where its fields start, and the fields parsed so far. */
    private final class Seg {
        final String name;
        final String text;
        int[] starts; // starts[i] = index of the first char of split-field i; one extra = text end + 1
        Type[][] parsed;

        Seg(String name, String text) {
            this.name = name;
            this.text = text;
        }

        /** The raw text of HL7 field {@code field}, or null when the segment is shorter. */
        String fieldText(int field) {
            if (starts == null) {
                split();
            }
            // MSH-1 is the separator itself, so MSH-n is the (n-1)th piece after the name.
            int piece = name.equals("MSH") ? field - 1 : field;
            if (piece < 1 || piece + 1 >= starts.length) {
                return null;
            }
            return text.substring(starts[piece], starts[piece + 1] - 1);
        }

        private void split() {
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == fieldSep) {
                    count++;
                }
            }
            int[] s = new int[count + 1];
            int n = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == fieldSep) {
                    s[n++] = i + 1;
                }
            }
            s[n] = text.length() + 1;
            starts = s;
        }

        /** The parsed repetitions of a field (empty array when the field is empty or absent). */
        Type[] field(int field) {
            if (parsed != null && field < parsed.length && parsed[field] != null) {
                return parsed[field];
            }
            Type[] reps = parse(field);
            if (parsed == null || field >= parsed.length) {
                Type[][] bigger = new Type[Math.max(field + 1, 64)][];
                if (parsed != null) {
                    System.arraycopy(parsed, 0, bigger, 0, parsed.length);
                }
                parsed = bigger;
            }
            parsed[field] = reps;
            return reps;
        }

        private Type[] parse(int field) {
            String raw = fieldText(field);
            if (raw == null || raw.isEmpty()) {
                return new Type[0];
            }
            List<String> reps = splitReps(raw);
            List<Type> types = session.fieldTypes(name, field, reps.size());
            int parsedReps = 0;
            try {
                for (; parsedReps < types.size(); parsedReps++) {
                    session.parser().parse(types.get(parsedReps), reps.get(parsedReps), encoding);
                }
            } catch (HL7Exception e) {
                // A repetition HAPI cannot read: keep those before it, as HAPI's relaxed parsing does.
            }
            return types.subList(0, parsedReps).toArray(new Type[0]);
        }

        private List<String> splitReps(String raw) {
            List<String> out = new ArrayList<>(2);
            int from = 0;
            int cut;
            while ((cut = raw.indexOf(repSep, from)) >= 0) {
                out.add(raw.substring(from, cut));
                from = cut + 1;
            }
            out.add(raw.substring(from));
            return out;
        }
    }

    ParsedMessage(Hl7Parser.Session session, String cr) throws Hl7Parser.ParseException {
        this.session = session;
        if (cr.length() < 8 || !cr.startsWith("MSH")) {
            throw new Hl7Parser.ParseException("not an HL7 v2 message: it does not start with an MSH segment");
        }
        fieldSep = cr.charAt(3);
        int end = cr.indexOf(fieldSep, 4);
        if (end < 0 || end - 4 < 4 || Character.isLetterOrDigit(fieldSep)) {
            throw new Hl7Parser.ParseException("MSH-1/MSH-2 do not hold valid delimiters");
        }
        try {
            this.encoding = new EncodingCharacters(fieldSep, cr.substring(4, end));
        } catch (RuntimeException e) {
            throw new Hl7Parser.ParseException("MSH-1/MSH-2 do not hold valid delimiters");
        }
        this.repSep = encoding.getRepetitionSeparator();
        int start = 0;
        while (start < cr.length()) {
            int cut = cr.indexOf('\r', start);
            if (cut < 0) {
                cut = cr.length();
            }
            if (cut - start >= 3) {
                String name = cr.substring(start, start + 3);
                segments.computeIfAbsent(name, k -> new ArrayList<>(1)).add(new Seg(name, cr.substring(start, cut)));
            }
            start = cut + 1;
        }
    }

    private Seg seg(FieldPath path) {
        List<Seg> list = segments.get(path.segment());
        return list == null || path.segmentRep() >= list.size() ? null : list.get(path.segmentRep());
    }

    /** How many repetitions the path's field has (0 when it is empty or the segment is absent). */
    public int repetitions(FieldPath path) {
        Seg s = seg(path);
        return s == null ? 0 : s.field(path.field()).length;
    }

    /** The value at the path, using the path's own repetition and component; null when empty. */
    public String get(FieldPath path) {
        return get(path, path.rep(), path.component(), path.subcomponent());
    }

    /** The value of one repetition/component of the path's field; null when absent or empty. */
    public String get(FieldPath path, int rep, int component, int subcomponent) {
        Seg s = seg(path);
        if (s == null) {
            return null;
        }
        Type[] reps = s.field(path.field());
        if (rep >= reps.length) {
            return null;
        }
        String v = Terser.getPrimitive(reps[rep], component, subcomponent).getValue();
        return v == null || v.isEmpty() ? null : v;
    }
}
