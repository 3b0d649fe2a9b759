package org.cpis.engine.mapping;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HL7 v2 text to a {@link ParsedMessage}: HAPI's {@code PipeParser} with the canonical v2.5.1
 * model (every version from 2.2 on reads into the same classes) and no validation (real feeds
 * break the rules in small ways that do not matter here). A HAPI parser is not documented as
 * thread-safe, so each thread keeps its own {@link Session}.
 */
public final class Hl7Parser {

    /** Parsing failed; the message says why without quoting the message. */
    public static final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    /** One thread's parser, segment constructors and the parent message segments hang off. */
    static final class Session {
        private static final String VERSION = "2.5.1";
        private final ModelClassFactory factory = new CachedModelClassFactory(VERSION);
        private final PipeParser parser;
        private final Message parent;
        // Optional.empty() remembers "no class" (Z-segments): a failed class lookup searches every jar.
        private final Map<String, Optional<Constructor<? extends Segment>>> constructors = new HashMap<>();

        Session() {
            HapiContext ctx = new DefaultHapiContext();
            ctx.setModelClassFactory(factory);
            ctx.setValidationContext(ValidationContextFactory.noValidation());
            parser = ctx.getPipeParser();
            parent = new ADT_A01(factory);
            parent.setParser(parser);
        }

        PipeParser parser() {
            return parser;
        }

        /** An empty segment of the canonical class for {@code name}; a generic one for Z-segments. */
        Segment newSegment(String name) {
            Constructor<? extends Segment> c = constructors.computeIfAbsent(name, this::lookup).orElse(null);
            if (c == null) {
                return new GenericSegment(parent, name);
            }
            try {
                return c.newInstance(parent, factory);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot create HAPI segment " + name, e);
            }
        }

        private Optional<Constructor<? extends Segment>> lookup(String name) {
            try {
                Class<? extends Segment> c = factory.getSegmentClass(name, VERSION);
                return c == null ? Optional.empty() : Optional.of(c.getConstructor(Group.class, ModelClassFactory.class));
            } catch (HL7Exception | NoSuchMethodException e) {
                return Optional.empty();
            }
        }
    }

    private static final ThreadLocal<Session> SESSION = ThreadLocal.withInitial(Session::new);

    private Hl7Parser() {
    }

    /** Parses one message; CR, LF and CRLF separators are all accepted. */
    public static ParsedMessage parse(String text) throws ParseException {
        return new ParsedMessage(SESSION.get(), Hl7Text.normalise(text));
    }
}
