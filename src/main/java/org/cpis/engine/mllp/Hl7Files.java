package org.cpis.engine.mllp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file of HL7 v2 messages: each message starts at a line beginning {@code MSH}; CR, LF
 * and CRLF all end a segment. Segments are re-joined with CR, the HL7 standard separator; all
 * other bytes are kept exactly (the split works on bytes, so any charset survives).
 */
public final class Hl7Files {
    private Hl7Files() {
    }

    public static List<byte[]> split(byte[] content) {
        // 8859/1 maps each byte to one char and back, so this is a byte-exact view.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<byte[]> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\r\n|\r|\n")) {
            String segment = line.replace("\u000b", "").replace("\u001c", "");
            if (segment.isBlank()) {
                continue;
            }
            if (segment.startsWith("MSH")) {
                if (current != null) {
                    out.add(current.toString().getBytes(StandardCharsets.ISO_8859_1));
                }
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(segment).append('\r');
            }
        }
        if (current != null) {
            out.add(current.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
