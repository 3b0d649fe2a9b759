package org.cpis.engine.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Builds the HL7 v2 ADT test messages intake tests send, and reads fields back out of ACKs.
 * Samples use the agreed test identities: 9434765919 (child with a plan), site RX1CC, trust RX1.
 */
public final class Hl7 {
    public static final String SENDING_APP = "EDSYS";
    public static final String SENDING_FACILITY = "RX1CC";

    private Hl7() {
    }

    /** A control id unique to this test run (MSH-10 is ST 20 in v2.4; we stay within that). */
    public static String controlId(String prefix) {
        String p = prefix.length() > 8 ? prefix.substring(0, 8) : prefix;
        return p + UUID.randomUUID().toString().replace("-", "").substring(0, 20 - p.length());
    }

    /** An ADT message from EDSYS/RX1CC, segments separated by CR. */
    public static String adt(String version, String event, String controlId) {
        return adt(SENDING_APP, SENDING_FACILITY, version, event, controlId, "", "TEST^CHILD");
    }

    /**
     * @param charset MSH-18 ("" for none)
     * @param patientName PID-5
     */
    public static String adt(String app, String facility, String version, String event, String controlId,
            String charset, String patientName) {
        String structure = switch (event) {
            case "A01", "A04", "A08" -> "ADT_A01";
            case "A03" -> "ADT_A03";
            default -> "";
        };
        // v2.3 MSH-9 has no message-structure component; 2.3.1 onwards has.
        String type = version.equals("2.3") || structure.isEmpty() ? "ADT^" + event : "ADT^" + event + "^" + structure;
        return "MSH|^~\\&|" + app + "|" + facility + "|CPIS|CPIS|20250101120000||" + type + "|" + controlId + "|P|" + version
                + "|||AL|NE||" + charset + "\r"
                + "EVN|" + event + "|20250101120000\r"
                + "PID|1||12067204^^^RX1^MR~9434765919^^^NHS^NH||" + patientName + "||20150101|M\r"
                + "PV1|1|E|ED^^^RX1CC^^^^^^^RX1||||||||||||||||V0001\r";
    }

    /** The message with each CR segment separator replaced by {@code separator}. */
    public static String withSeparator(String message, String separator) {
        return message.replace("\r", separator);
    }

    public static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String message, Charset cs) {
        return message.getBytes(cs);
    }

    /** {@code <VT>message<FS><CR>}. */
    public static byte[] frame(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 3);
        out.write(0x0b);
        out.writeBytes(message);
        out.write(0x1c);
        out.write(0x0d);
        return out.toByteArray();
    }

    /** Field {@code n} of the first {@code segment} (HL7 numbering: for MSH, MSH-1 is the separator). */
    public static String field(String message, String segment, int n) {
        for (String seg : message.split("[\r\n]+")) {
            if (seg.startsWith(segment + "|")) {
                List<String> f = List.of(seg.split(Pattern.quote("|"), -1));
                int idx = segment.equals("MSH") ? n - 1 : n;
                if (segment.equals("MSH") && n == 1) {
                    return "|";
                }
                return idx < f.size() ? f.get(idx) : "";
            }
        }
        return null;
    }
}
