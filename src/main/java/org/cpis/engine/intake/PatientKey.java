package org.cpis.engine.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * The key that keeps one patient's messages in order in the queue: the first PID-3 identifier
 * (else PID-2), scoped by the sending facility. A message without a PID gets its control id, so
 * it runs in parallel with everything else. Two patients sharing a hash only share an order.
 */
final class PatientKey {
    private PatientKey() {
    }

    /** @param fields the message's {@link #pidFields}, or null without a PID */
    static String of(String[] fields, Hl7Header h) {
        if (fields != null) {
            String id = fields.length > 3 ? firstComponent(fields[3], h) : "";
            if (id.isEmpty() && fields.length > 2) {
                id = firstComponent(fields[2], h);
            }
            if (!id.isEmpty()) {
                return hashed(h.sendingFacility() + ":" + id);
            }
        }
        return hashed(h.sendingFacility() + ":#" + h.controlId());
    }

    /**
     * Every identifier in PID-2 and in each repetition of PID-3 that has the shape of an NHS number
     * (ten digits once spaces are dropped). Senders put the NHS number in either field, in any
     * repetition; which one is the NHS number is the mapping's business, not intake's.
     */
    static List<String> nhsShapedIds(String[] fields, Hl7Header h) {
        if (fields == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        char rep = h.encodingCharacters().charAt(1);
        for (int f = 2; f <= 3 && f < fields.length; f++) {
            int start = 0;
            String field = fields[f];
            while (start <= field.length()) {
                int end = field.indexOf(rep, start);
                if (end < 0) {
                    end = field.length();
                }
                String id = firstComponent(field.substring(start, end), h).replace(" ", "");
                if (id.length() == 10 && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    out.add(id);
                }
                start = end + 1;
            }
        }
        return out;
    }

    /** The PID segment split on its field separator up to PID-4, or null without a PID. */
    static String[] pidFields(String text, Hl7Header h) {
        String fs = String.valueOf(h.fieldSeparator());
        int pid = indexOfSegment(text, "PID" + fs);
        if (pid < 0) {
            return null;
        }
        int end = pid;
        while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
            end++;
        }
        return text.substring(pid, end).split(java.util.regex.Pattern.quote(fs), 5);
    }

    /** The group id is a JMS property: hashed, so no patient identifier shows in broker tooling. */
    private static String hashed(String key) {
        return "p" + Integer.toHexString(key.hashCode());
    }

    private static String firstComponent(String field, Hl7Header h) {
        char comp = h.encodingCharacters().charAt(0);
        char rep = h.encodingCharacters().charAt(1);
        int end = field.length();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == comp || c == rep) {
                end = i;
                break;
            }
        }
        return field.substring(0, end).trim();
    }

    private static int indexOfSegment(String text, String start) {
        int i = text.indexOf(start);
        while (i > 0 && text.charAt(i - 1) != '\r' && text.charAt(i - 1) != '\n') {
            i = text.indexOf(start, i + 1);
        }
        return i;
    }
}
