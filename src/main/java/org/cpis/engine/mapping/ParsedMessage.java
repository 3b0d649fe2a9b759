package org.cpis.engine.mapping;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HL7 v2 message, read on demand, field by field. The text is split into segments once; a
 * field is split into repetitions the first time a path reads it, and a value is cut out of its
 * repetition by component and subcomponent separator and unescaped with HAPI's escaping.
 *
 * <p>Why not HAPI's typed fields: with no validation (see {@link Hl7Parser}) HAPI's
 * {@code PipeParser.parse(Type, ...)} splits a field exactly so, stores each piece unescaped by
 * position, and {@code Terser.getPrimitive} reads it back by the same position, whatever the
 * type, except that it trims some types' values ({@link HapiTrimming}). Without the types the
 * mapping benchmark maps twice the messages per CPU-second, and the engine allocates 13% less per
 * message (docs/performance.md). That this reads what HAPI read is pinned by
 * {@code ParsedMessageHapiParityTest}.
 *
 * <p>Not thread-safe: one per message.
 */
public final class ParsedMessage {

    private static final Escaping ESCAPING = new DefaultEscaping();
    private static final String[] NONE = new String[0];

    private final EncodingCharacters encoding;
    private final char fieldSep;
    private final char repSep;
    private final char componentSep;
    private final char subcomponentSep;
    private final Map<String, List<Seg>> segments = new HashMap<>(16);

    /** One segment: its text, where its fields start, and the fields split so far. */
    private final class Seg {
        final String name;
        final String text;
        int[] starts; // starts[i] = index of the first char of split-field i; one extra = text end + 1
        String[][] split;

        Seg(String name, String text) {
            this.name = name;
            this.text = text;
        }

        /** The raw text of HL7 field {@code field}, or null when the segment is shorter. */
        String fieldText(int field) {
            if (starts == null) {
                index();
            }
            // MSH-1 is the separator itself, so MSH-n is the (n-1)th piece after the name.
            int piece = name.equals("MSH") ? field - 1 : field;
            if (piece < 1 || piece + 1 >= starts.length) {
                return null;
            }
            return text.substring(starts[piece], starts[piece + 1] - 1);
        }

        private void index() {
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

        /** The raw repetitions of a field (empty when the field is empty or absent). */
        String[] field(int field) {
            if (split != null && field < split.length && split[field] != null) {
                return split[field];
            }
            String raw = fieldText(field);
            String[] reps = raw == null || raw.isEmpty() ? NONE : repetitions(raw);
            if (split == null || field >= split.length) {
                String[][] bigger = new String[Math.max(field + 1, 32)][];
                if (split != null) {
                    System.arraycopy(split, 0, bigger, 0, split.length);
                }
                split = bigger;
            }
            split[field] = reps;
            return reps;
        }

        private String[] repetitions(String raw) {
            if (raw.indexOf(repSep) < 0) {
                return new String[] {raw};
            }
            List<String> out = new ArrayList<>(4);
            int from = 0;
            int cut;
            while ((cut = raw.indexOf(repSep, from)) >= 0) {
                out.add(raw.substring(from, cut));
                from = cut + 1;
            }
            out.add(raw.substring(from));
            return out.toArray(NONE);
        }
    }

    ParsedMessage(String cr) throws Hl7Parser.ParseException {
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
        this.componentSep = encoding.getComponentSeparator();
        this.subcomponentSep = encoding.getSubcomponentSeparator();
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
        String[] reps = s.field(path.field());
        if (rep >= reps.length) {
            return null;
        }
        String v = piece(piece(reps[rep], componentSep, component), subcomponentSep, subcomponent);
        if (v == null || v.isEmpty()) {
            return null;
        }
        v = HapiTrimming.at(s.name, path.field(), component, subcomponent).apply(ESCAPING.unescape(v, encoding));
        return v.isEmpty() ? null : v;
    }

    /** The {@code n}th (from 1) piece of {@code text} between {@code sep}s; null when there are fewer. */
    private static String piece(String text, char sep, int n) {
        if (text == null) {
            return null;
        }
        int from = 0;
        for (int i = 1; i < n; i++) {
            int cut = text.indexOf(sep, from);
            if (cut < 0) {
                return null;
            }
            from = cut + 1;
        }
        int to = text.indexOf(sep, from);
        if (from == 0 && to < 0) {
            return text;
        }
        return text.substring(from, to < 0 ? text.length() : to);
    }
}
