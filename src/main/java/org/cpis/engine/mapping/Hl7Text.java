package org.cpis.engine.mapping;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain-text chores before HL7 parsing: segment separators, splitting a file of many messages,
 * and picking a charset from MSH-18. Kept apart from the parser so each is testable alone.
 */
public final class Hl7Text {

    private Hl7Text() {
    }

    /**
     * Turns CRLF and LF separators into CR, drops a byte-order mark, leading blank lines and
     * trailing empty segments. HAPI only understands CR.
     */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        int start = 0;
        int end = text.length();
        if (end > 0 && text.charAt(0) == '\uFEFF') {
            start = 1;
        }
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        boolean plain = true;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '\n') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return start == 0 && end == text.length() ? text : text.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        char prev = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (prev != '\r') {
                    sb.append('\r');
                }
            } else {
                sb.append(c);
            }
            prev = c;
        }
        return sb.toString();
    }

    /**
     * Splits a file holding many messages: a new message starts at every segment that begins with
     * {@code MSH}, whichever separator the file uses. Blank lines between messages are dropped.
     */
    public static List<String> split(String text) {
        String all = normalise(text);
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String segment : all.split("\r")) {
            if (segment.isBlank()) {
                continue;
            }
            if (segment.startsWith("MSH") && current.length() > 0) {
                out.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append('\r');
            }
            current.append(segment);
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    /**
     * Decodes raw bytes using the charset named in MSH-18 of the first message; UTF-8 when the
     * field is empty or unknown. MSH-18 is read from the bytes as ASCII, which every HL7 charset
     * shares for the MSH segment.
     */
    public static String decode(byte[] bytes) {
        String ascii = new String(bytes, StandardCharsets.ISO_8859_1);
        return new String(bytes, charsetOf(ascii));
    }

    /** The Java charset for MSH-18 of the first MSH in {@code text}. */
    public static Charset charsetOf(String text) {
        int msh = text.indexOf("MSH");
        if (msh < 0 || text.length() < msh + 5) {
            return StandardCharsets.UTF_8;
        }
        char fieldSep = text.charAt(msh + 3);
        int lineEnd = msh;
        while (lineEnd < text.length() && text.charAt(lineEnd) != '\r' && text.charAt(lineEnd) != '\n') {
            lineEnd++;
        }
        String[] fields = text.substring(msh, lineEnd).split(java.util.regex.Pattern.quote(String.valueOf(fieldSep)), -1);
        // fields[0] = "MSH", fields[1] = MSH-2, so MSH-18 is fields[17].
        if (fields.length <= 17) {
            return StandardCharsets.UTF_8;
        }
        String name = fields[17].trim().toUpperCase(Locale.ROOT);
        int rep = name.indexOf('~');
        if (rep >= 0) {
            name = name.substring(0, rep);
        }
        switch (name) {
            case "8859/1":
                return StandardCharsets.ISO_8859_1;
            case "ASCII":
                return StandardCharsets.US_ASCII;
            case "UNICODE UTF-16":
                return StandardCharsets.UTF_16;
            default:
                return StandardCharsets.UTF_8; // "", "UNICODE UTF-8", "UNICODE" and the unknown
        }
    }
}
