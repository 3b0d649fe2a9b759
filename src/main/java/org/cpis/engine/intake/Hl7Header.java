package org.cpis.engine.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * The MSH fields intake needs, read straight from the message text without a full parse:
 * enough to route, de-duplicate and answer. Throws {@link RejectException} naming the field
 * when the header makes the message unusable.
 *
 * @param fieldSeparator MSH-1
 * @param encodingCharacters MSH-2
 * @param sendingApplication MSH-3 (first component)
 * @param sendingFacility MSH-4 (first component)
 * @param receivingApplication MSH-5 (first component)
 * @param receivingFacility MSH-6 (first component)
 * @param messageType MSH-9.1
 * @param triggerEvent MSH-9.2
 * @param controlId MSH-10
 * @param processingId MSH-11 (first component)
 * @param version MSH-12 (first component)
 * @param charset MSH-18 (first repetition)
 */
public record Hl7Header(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageType,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        String charset) {

    /** Reads the header of a message whose first segment must be MSH. */
    public static Hl7Header parse(String message) {
        String text = stripLeadingWhitespace(message);
        if (!text.startsWith("MSH")) {
            throw new RejectException("MSH", "100", "Segment sequence error",
                    "the message does not start with an MSH segment");
        }
        int segEnd = segmentEnd(text);
        String msh = text.substring(0, segEnd);
        if (msh.length() < 8) {
            throw new RejectException("MSH-2", "102", "Data type error", "MSH-1/MSH-2 encoding characters are missing");
        }
        char fs = msh.charAt(3);
        if (Character.isLetterOrDigit(fs) || fs == ' ' || fs == '\r' || fs == '\n') {
            throw new RejectException("MSH-1", "102", "Data type error",
                    "MSH-1 field separator must be a punctuation character");
        }
        int encEnd = msh.indexOf(fs, 4);
        String enc = encEnd < 0 ? msh.substring(4) : msh.substring(4, encEnd);
        if (!validEncodingCharacters(enc, fs)) {
            throw new RejectException("MSH-2", "102", "Data type error",
                    "MSH-2 encoding characters must be 4 (or 5) distinct punctuation characters, e.g. ^~\\&");
        }
        List<String> fields = split(msh, fs);
        // fields.get(0) = "MSH", get(1) = encoding characters; so MSH-n is get(n-1) for n >= 2.
        char component = enc.charAt(0);
        char repetition = enc.charAt(1);
        String type = field(fields, 9);
        String messageType = component(type, component, 0);
        String trigger = component(type, component, 1);
        if (messageType.isEmpty()) {
            throw new RejectException("MSH-9", "101", "Required field missing", "MSH-9 message type is empty");
        }
        String controlId = field(fields, 10);
        if (controlId.isEmpty()) {
            throw new RejectException("MSH-10", "101", "Required field missing", "MSH-10 message control id is empty");
        }
        String version = component(field(fields, 12), component, 0);
        String charset = field(fields, 18);
        int rep = charset.indexOf(repetition);
        if (rep >= 0) {
            charset = charset.substring(0, rep);
        }
        return new Hl7Header(fs, enc,
                component(field(fields, 3), component, 0),
                component(field(fields, 4), component, 0),
                component(field(fields, 5), component, 0),
                component(field(fields, 6), component, 0),
                messageType, trigger, controlId,
                component(field(fields, 11), component, 0),
                version, charset.trim());
    }

    /** The key duplicates are detected on: sender application and facility plus MSH-10. */
    public String duplicateKey() {
        return duplicateKey(sendingApplication, sendingFacility, controlId);
    }

    /** The same key from a stored message's sender and control id. */
    public static String duplicateKey(String sendingApplication, String sendingFacility, String controlId) {
        return sendingApplication + '|' + sendingFacility + '|' + controlId;
    }

    /** {@code APP/FACILITY}, for log lines. */
    public String sender() {
        return sendingApplication + "/" + sendingFacility;
    }

    /** {@code ADT^A04}, for log lines. */
    public String event() {
        return triggerEvent.isEmpty() ? messageType : messageType + "^" + triggerEvent;
    }

    static String stripLeadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }

    static int segmentEnd(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    private static boolean validEncodingCharacters(String enc, char fs) {
        if (enc.length() < 4 || enc.length() > 5) {
            return false;
        }
        for (int i = 0; i < enc.length(); i++) {
            char c = enc.charAt(i);
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c) || c == fs || enc.indexOf(c) != i) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>(20);
        int from = 0;
        while (true) {
            int i = s.indexOf(sep, from);
            if (i < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, i));
            from = i + 1;
        }
    }

    private static String field(List<String> fields, int n) {
        int idx = n - 1;
        return idx < fields.size() ? fields.get(idx).trim() : "";
    }

    private static String component(String field, char sep, int index) {
        int from = 0;
        for (int i = 0; i < index; i++) {
            int next = field.indexOf(sep, from);
            if (next < 0) {
                return "";
            }
            from = next + 1;
        }
        int end = field.indexOf(sep, from);
        return (end < 0 ? field.substring(from) : field.substring(from, end)).trim();
    }
}
