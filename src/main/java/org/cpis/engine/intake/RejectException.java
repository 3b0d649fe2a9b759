package org.cpis.engine.intake;

/**
 * Why a message is unusable: answered AR, with an ERR segment naming the field. The reason text
 * describes the fault, never the content, so it is safe to log.
 */
public final class RejectException extends RuntimeException {
    private final String location;
    private final String code;
    private final String codeText;

    /**
     * @param location where the fault is, e.g. {@code MSH-10}
     * @param code HL7 table 0357 error code (100, 101, 102, 203, 207)
     * @param codeText its text in table 0357
     * @param reason a plain description of the fault
     */
    public RejectException(String location, String code, String codeText, String reason) {
        super(reason);
        this.location = location;
        this.code = code;
        this.codeText = codeText;
    }

    public String location() {
        return location;
    }

    public String code() {
        return code;
    }

    public String codeText() {
        return codeText;
    }
}
