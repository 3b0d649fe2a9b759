package org.cpis.engine.mapping;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractSegment;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /**
     * One thread's parser, the parent message field types hang off, and one empty segment per
     * segment name from which field types are made.
     */
    static final class Session {
        private static final String VERSION = "2.5.1";
        private final ModelClassFactory factory = new CachedModelClassFactory(VERSION);
        private final PipeParser parser;
        private final Message parent;
        // Optional.empty() remembers "no class" (Z-segments): a failed class lookup searches every jar.
        private final Map<String, Optional<Constructor<? extends AbstractSegment>>> constructors = new HashMap<>();
        private final Map<String, AbstractSegment> templates = new HashMap<>();

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

        /**
         * The field types of {@code field}, one per repetition, made by this thread's segment of the
         * canonical class for {@code name} (a generic one for Z-segments). Why not a new segment per
         * message: building one creates every field's slot (PV1 has 52), a quarter of what the
         * routine stage allocated. The template is cleared first, so the types returned belong to the
         * caller alone.
         *
         * @return the types, to be parsed with {@link #parser()}
         */
        List<Type> fieldTypes(String name, int field, int repetitions) {
            AbstractSegment template = templates.computeIfAbsent(name, this::newSegment);
            template.clear();
            List<Type> out = new ArrayList<>(repetitions);
            try {
                for (int r = 0; r < repetitions; r++) {
                    out.add(template.getField(field, r));
                }
            } catch (HL7Exception e) {
                // Not expected (HAPI adds a field past the class's last as Varies): keep what was made.
            }
            template.clear();
            return out;
        }

        private AbstractSegment newSegment(String name) {
            Constructor<? extends AbstractSegment> c = constructors.computeIfAbsent(name, this::lookup).orElse(null);
            if (c == null) {
                return new GenericSegment(parent, name);
            }
            try {
                return c.newInstance(parent, factory);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot create HAPI segment " + name, e);
            }
        }

        private Optional<Constructor<? extends AbstractSegment>> lookup(String name) {
            try {
                Class<? extends Segment> c = factory.getSegmentClass(name, VERSION);
                return c == null || !AbstractSegment.class.isAssignableFrom(c) ? Optional.empty()
                        : Optional.of(c.asSubclass(AbstractSegment.class).getConstructor(Group.class, ModelClassFactory.class));
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
