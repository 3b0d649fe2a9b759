package org.cpis.engine.mapping;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractSegment;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whitespace HAPI drops from a value at one position of a segment. Even its "no validation"
 * context trims: leading whitespace of ST and FT values, trailing whitespace of TX values. Which
 * type sits at a position depends on the v2.5.1 segment class, so each position is asked of HAPI
 * once (a value with spaces both sides is stored there and read back) and remembered.
 */
final class HapiTrimming {

    enum Trim {
        NONE, LEADING, TRAILING, BOTH;

        String apply(String v) {
            return switch (this) {
                case NONE -> v;
                case LEADING -> v.stripLeading();
                case TRAILING -> v.stripTrailing();
                case BOTH -> v.strip();
            };
        }
    }

    /** A place in a segment, its numbers from 1. */
    private record Position(String segment, int field, int component, int subcomponent) {
    }

    private static final String VERSION = "2.5.1";
    private static final Map<Position, Trim> KNOWN = new ConcurrentHashMap<>();
    private static final ModelClassFactory FACTORY = new CachedModelClassFactory(VERSION);
    private static Message parent; // guarded by HapiTrimming.class: HAPI's model is not thread-safe

    private HapiTrimming() {
    }

    /** The trimming at {@code segment}-field-component-subcomponent (all from 1). */
    static Trim at(String segment, int field, int component, int subcomponent) {
        Position at = new Position(segment, field, component, subcomponent);
        Trim known = KNOWN.get(at); // a plain read: computeIfAbsent may lock the bin even when present
        return known != null ? known : KNOWN.computeIfAbsent(at, HapiTrimming::probe);
    }

    private static synchronized Trim probe(Position at) {
        try {
            Primitive p = Terser.getPrimitive(newSegment(at.segment()).getField(at.field(), 0), at.component(),
                    at.subcomponent());
            p.setValue(" x ");
            return switch (p.getValue()) {
                case "x " -> Trim.LEADING;
                case " x" -> Trim.TRAILING;
                case "x" -> Trim.BOTH;
                default -> Trim.NONE;
            };
        } catch (HL7Exception | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot type " + at.segment() + "-" + at.field() + " with HAPI", e);
        }
    }

    private static AbstractSegment newSegment(String name) throws HL7Exception, ReflectiveOperationException {
        if (parent == null) {
            HapiContext ctx = new DefaultHapiContext();
            ctx.setModelClassFactory(FACTORY);
            ctx.setValidationContext(ValidationContextFactory.noValidation());
            parent = new ADT_A01(FACTORY);
            parent.setParser(ctx.getPipeParser());
        }
        Class<? extends Segment> c = FACTORY.getSegmentClass(name, VERSION);
        if (c == null || !AbstractSegment.class.isAssignableFrom(c)) {
            return new GenericSegment(parent, name);
        }
        return c.asSubclass(AbstractSegment.class).getConstructor(Group.class, ModelClassFactory.class)
                .newInstance(parent, FACTORY);
    }
}
