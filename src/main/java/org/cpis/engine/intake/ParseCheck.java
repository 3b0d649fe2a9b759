package org.cpis.engine.intake;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import java.util.Set;

/**
 * Says, without building HAPI's message model, that HAPI's non-validating parse would accept a
 * message; when it cannot be sure it says so, and intake asks HAPI as before. So which messages
 * are refused does not change, and a plain ADT message skips a parse whose result intake threw
 * away (the full parse was a third of intake's CPU and of the engine's allocation).
 *
 * <p>"Certain" follows what HAPI 2.6's {@code PipeParser} checks with validation off: a known
 * version, ER7 shape (every segment's fourth character is the field separator, MSH has MSH-12),
 * an MSH-9 that names a message class, and segments it places without complaint. Anything outside
 * the plainest form answers "not sure": leading whitespace, a truncation character, escape
 * sequences, OBX (HAPI re-types OBX-5), a second MSH or a batch segment, an odd segment name.
 * {@code ParseCheckTest} holds this against HAPI on the samples, the bench workload and
 * thousands of mutated messages.
 */
public final class ParseCheck {
    private static final Set<String> NOT_PLAIN_SEGMENTS = Set.of("MSH", "BHS", "BTS", "FHS", "FTS", "OBX");

    private final ModelClassFactory factory;

    /** @param factory the class factory of the parser this check stands in for */
    public ParseCheck(ModelClassFactory factory) {
        this.factory = factory;
    }

    /**
     * True only when HAPI would parse {@code text} (CR-separated, as given to the parser) without
     * error; false means "ask HAPI", not "invalid".
     */
    public boolean certainlyParses(String text) {
        if (text.length() < 9 || !text.startsWith("MSH")) {
            return false;
        }
        char fs = text.charAt(3);
        char cs = text.charAt(4);
        char rs = text.charAt(5);
        char esc = text.charAt(6);
        char ss = text.charAt(7);
        if (text.charAt(8) != fs || !distinctDelimiters(fs, cs, rs, esc, ss)) {
            return false;
        }
        int mshEnd = segmentEnd(text, 0);
        if (!plainMsh(text, mshEnd, fs, cs, rs, esc, ss)) {
            return false;
        }
        int start = mshEnd + 1;
        while (start < text.length()) {
            int end = segmentEnd(text, start);
            if (end > start && !plainSegment(text, start, end, fs, esc)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private boolean plainMsh(String text, int end, char fs, char cs, char rs, char esc, char ss) {
        int escape = text.indexOf(esc, 9);
        if (escape >= 0 && escape < end) {
            return false;
        }
        // starts[k] is where MSH-(k+1) begins: MSH-1 is the separator at 3, MSH-2 begins at 4.
        int[] starts = new int[12];
        int n = 1;
        for (int i = 3; i < end && n < starts.length; i++) {
            if (text.charAt(i) == fs) {
                starts[n++] = i + 1;
            }
        }
        if (n < starts.length) {
            return false; // no MSH-12 in MSH
        }
        String type = text.substring(starts[8], starts[9] - 1);
        String version = text.substring(starts[11], fieldEnd(text, starts[11], end, fs));
        int component = version.indexOf(cs);
        if (component >= 0) {
            version = version.substring(0, component);
        }
        return knownVersion(version) && knownStructure(type, cs, rs, ss);
    }

    private static boolean knownVersion(String version) {
        return !version.isEmpty() && Version.supportsVersion(version);
    }

    /** MSH-9 as type^event or type^event^structure, each part plain, naming a message class. */
    private boolean knownStructure(String type, char cs, char rs, char ss) {
        if (type.indexOf(rs) >= 0 || type.indexOf(ss) >= 0) {
            return false;
        }
        int first = type.indexOf(cs);
        int second = first < 0 ? -1 : type.indexOf(cs, first + 1);
        if (first < 0 || second >= 0 && type.indexOf(cs, second + 1) >= 0) {
            return false; // not two or three components
        }
        String kind = type.substring(0, first);
        String event = second < 0 ? type.substring(first + 1) : type.substring(first + 1, second);
        boolean explicit = second >= 0;
        String structure = explicit ? type.substring(second + 1) : kind + "_" + event;
        if (!isWord(kind) || !isWord(event) || explicit && !isWord(structure) || kind.equals("ACK")) {
            return false; // HAPI takes ACK whatever follows; not intake's business
        }
        try {
            // The same question HAPI's parser asks (the factory remembers the answers); any
            // version maps to the canonical model.
            return factory.getMessageClass(structure, "2.5.1", explicit) != null;
        } catch (HL7Exception | RuntimeException e) {
            return false;
        }
    }

    private static boolean plainSegment(String text, int start, int end, char fs, char esc) {
        if (end - start < 3 || !isSegmentName(text, start)) {
            return false;
        }
        if (end - start > 3 && text.charAt(start + 3) != fs) {
            return false;
        }
        if (NOT_PLAIN_SEGMENTS.contains(text.substring(start, start + 3))) {
            return false;
        }
        int e = text.indexOf(esc, start);
        return e < 0 || e >= end;
    }

    /** [A-Z][A-Z0-9]{2}: every standard and Z-segment name. */
    private static boolean isSegmentName(String text, int at) {
        return upper(text.charAt(at)) && upperOrDigit(text.charAt(at + 1)) && upperOrDigit(text.charAt(at + 2));
    }

    private static boolean isWord(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!upperOrDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean upperOrDigit(char c) {
        return upper(c) || (c >= '0' && c <= '9');
    }

    private static boolean distinctDelimiters(char... cs) {
        for (int i = 0; i < cs.length; i++) {
            char c = cs[i];
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c) || c < ' ') {
                return false;
            }
            for (int j = i + 1; j < cs.length; j++) {
                if (c == cs[j]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int segmentEnd(String text, int from) {
        int cr = text.indexOf('\r', from);
        return cr < 0 ? text.length() : cr;
    }

    private static int fieldEnd(String text, int from, int segmentEnd, char fs) {
        int next = text.indexOf(fs, from);
        return next < 0 || next > segmentEnd ? segmentEnd : next;
    }
}
