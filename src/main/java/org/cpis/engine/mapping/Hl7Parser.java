package org.cpis.engine.mapping;

/**
 * HL7 v2 text to a {@link ParsedMessage}. Fields are read by position, as HAPI's
 * {@code PipeParser} with no validation reads them into any v2 version's types (real feeds break
 * the standard's rules in small ways that do not matter here), so no HAPI model is built.
 * Thread-safe: each call makes its own message.
 */
public final class Hl7Parser {

    /** Parsing failed; the message says why without quoting the message. */
    public static final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    private Hl7Parser() {
    }

    /** Parses one message; CR, LF and CRLF separators are all accepted. */
    public static ParsedMessage parse(String text) throws ParseException {
        return new ParsedMessage(Hl7Text.normalise(text));
    }
}
