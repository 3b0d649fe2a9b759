package org.cpis.engine.mapping;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * HL7 v2 text to a HAPI message: every version parses into the v2.5.1 structures, with no
 * validation (real feeds break the rules in small ways that do not matter to us). A HAPI parser is
 * not documented as thread-safe, so each thread keeps its own.
 */
public final class Hl7Parser {

    /** Parsing failed; the message says why without quoting the message. */
    public static final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    private static final ThreadLocal<PipeParser> PARSER = ThreadLocal.withInitial(() -> {
        HapiContext ctx = new DefaultHapiContext();
        ctx.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        ctx.setValidationContext(ValidationContextFactory.noValidation());
        return ctx.getPipeParser();
    });

    private Hl7Parser() {
    }

    /** Parses one message; CR, LF and CRLF separators are all accepted. */
    public static ParsedMessage parse(String text) throws ParseException {
        String cr = Hl7Text.normalise(text);
        if (!cr.startsWith("MSH") || cr.length() < 8) {
            throw new ParseException("not an HL7 v2 message: it does not start with an MSH segment");
        }
        try {
            return new ParsedMessage(PARSER.get().parse(cr));
        } catch (HL7Exception e) {
            // HAPI's own text may quote the message, so only its error code is passed on.
            throw new ParseException("HL7 parse error (" + e.getError().getMessage() + ")");
        } catch (RuntimeException e) {
            throw new ParseException("HL7 parse error (" + e.getClass().getSimpleName() + ")");
        }
    }
}
