package org.cpis.engine.mllp;

/**
 * The parts of an HL7 ACK a sender acts on.
 *
 * @param code MSA-1 (AA, AE, AR, CA, CE, CR)
 * @param controlId MSA-2
 * @param text MSA-3
 * @param error the ERR segment as sent, or empty
 * @param raw the whole ACK
 */
public record Ack(String code, String controlId, String text, String error, String raw) {

    /** AA or CA: the receiver took responsibility for the message. */
    public boolean accepted() {
        return "AA".equals(code) || "CA".equals(code);
    }

    /** Reads an ACK's MSA (and ERR) segments. */
    public static Ack parse(String raw) {
        String code = "";
        String controlId = "";
        String text = "";
        String error = "";
        char fs = raw.length() > 3 && raw.startsWith("MSH") ? raw.charAt(3) : '|';
        for (String segment : raw.split("[\r\n]+")) {
            if (segment.startsWith("MSA")) {
                String[] f = segment.split(java.util.regex.Pattern.quote(String.valueOf(fs)), -1);
                code = f.length > 1 ? f[1] : "";
                controlId = f.length > 2 ? f[2] : "";
                text = f.length > 3 ? f[3] : "";
            } else if (segment.startsWith("ERR")) {
                error = segment;
            }
        }
        return new Ack(code, controlId, text, error, raw);
    }
}
