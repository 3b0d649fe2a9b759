package org.cpis.engine.intake;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Decodes message bytes in the charset MSH-18 names (HL7 table 0211). */
public final class Charsets {
    private Charsets() {
    }

    /** The Java charset for an MSH-18 value; null when the value names no charset we support. */
    public static Charset forMsh18(String value, Charset fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "ASCII" -> StandardCharsets.US_ASCII;
            case "8859/1" -> StandardCharsets.ISO_8859_1;
            case "8859/15" -> Charset.forName("ISO-8859-15");
            case "UNICODE UTF-8", "UTF-8", "UNICODE" -> StandardCharsets.UTF_8;
            default -> null;
        };
    }

    /** The charset's name for MSH-18 in answers. */
    public static String msh18Name(Charset cs) {
        if (cs.equals(StandardCharsets.US_ASCII)) {
            return "ASCII";
        } else if (cs.equals(StandardCharsets.ISO_8859_1)) {
            return "8859/1";
        } else if (cs.equals(StandardCharsets.UTF_8)) {
            return "UNICODE UTF-8";
        }
        return "";
    }

    /**
     * Decodes strictly; bytes that are not valid in the charset fall back to 8859/1, which maps
     * every byte, so no message is lost for a wrong MSH-18.
     */
    public static String decode(byte[] bytes, Charset cs) {
        try {
            CharBuffer cb = cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
