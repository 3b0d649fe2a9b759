package org.cpis.engine.intake;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpis.engine.mapping.CachedModelClassFactory;

/**
 * First step of {@code receive-adt}: reads an MLLP frame, decides whether the message is usable,
 * and prepares it for the durable queue. It never throws for bad input: a rejected message is
 * marked, and the route records it and answers AR.
 */
public final class AdtIntake {

    private final Set<String> versions;
    private final Charset defaultCharset;
    private final int maxMessageBytes;
    private final CachedModelClassFactory classes = new CachedModelClassFactory("2.5.1");
    private final ParseCheck parseCheck = new ParseCheck(classes);
    // One per MLLP thread: HAPI's parser fills unsynchronised caches as it meets new structures.
    private final ThreadLocal<PipeParser> parsers = ThreadLocal.withInitial(() -> newParser(classes));
    private final MessageIds ids = new MessageIds();

    public AdtIntake(Set<String> versions, Charset defaultCharset, int maxMessageBytes) {
        this.versions = Set.copyOf(versions);
        this.defaultCharset = defaultCharset;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A parser on the canonical 2.5.1 model with validation off: every version 2.2-2.8 parses into it. */
    static PipeParser newParser() {
        return newParser(new CachedModelClassFactory("2.5.1"));
    }

    private static PipeParser newParser(CachedModelClassFactory classes) {
        HapiContext ctx = new DefaultHapiContext(classes);
        ctx.setValidationContext(ValidationContextFactory.noValidation());
        ctx.getParserConfiguration().setValidating(false);
        return ctx.getPipeParser();
    }

    /** Camel entry point: body in is an {@link MllpFrame}; body out the bytes to enqueue. */
    public void accept(Exchange exchange) {
        Message in = exchange.getMessage();
        ReceivedAdt adt = read(in.getBody(MllpFrame.class));
        exchange.setProperty("cpisAdt", adt);
        Hl7Header h = adt.header();
        if (h != null) {
            in.setHeader(IntakeHeaders.CONTROL_ID, h.controlId());
            in.setHeader(IntakeHeaders.SENDING_APPLICATION, h.sendingApplication());
            in.setHeader(IntakeHeaders.SENDING_FACILITY, h.sendingFacility());
            in.setHeader(IntakeHeaders.EVENT, h.event());
            in.setHeader(IntakeHeaders.VERSION, h.version());
        }
        if (adt.rejected()) {
            exchange.setProperty(IntakeHeaders.OUTCOME, "rejected");
            return;
        }
        exchange.setProperty(IntakeHeaders.OUTCOME, "accepted");
        in.setHeader(IntakeHeaders.MESSAGE_ID, ids.next());
        in.setHeader(IntakeHeaders.CHARSET, adt.charset().name());
        in.setHeader(IntakeHeaders.RECEIVED_AT, System.currentTimeMillis());
        exchange.setProperty(IntakeHeaders.DUPLICATE_KEY, h.duplicateKey());
        String[] pid = PatientKey.pidFields(adt.text(), h);
        in.setHeader(IntakeHeaders.GROUP_ID, PatientKey.of(pid, h));
        exchange.setProperty(FastLane.IDS_PROPERTY, PatientKey.nhsShapedIds(pid, h));
        in.setBody(adt.frame().bytes());
    }

    /** Reads and checks one frame. */
    public ReceivedAdt read(MllpFrame frame) {
        // Every supported MSH-18 charset is ASCII-compatible in the header, so 8859/1 reads it safely.
        String head = new String(frame.bytes(), 0, Math.min(frame.bytes().length, 4096), StandardCharsets.ISO_8859_1);
        Hl7Header header = null;
        try {
            header = Hl7Header.parse(head);
            if (frame.oversize()) {
                throw new RejectException("MSH", "207", "Application internal error",
                        "message of " + frame.length() + " bytes exceeds the limit of " + maxMessageBytes + " bytes");
            }
            if (!versions.contains(header.version())) {
                throw new RejectException("MSH-12", "203", "Unsupported version id",
                        "MSH-12 version '" + safe(header.version()) + "' is not supported; supported: " + String.join(", ", versions));
            }
            Charset cs = Charsets.forMsh18(header.charset(), defaultCharset);
            if (cs == null) {
                // An unknown MSH-18 is a cosmetic fault: read the bytes losslessly rather than refuse.
                cs = defaultCharset;
            }
            String text = Charsets.decode(frame.bytes(), cs);
            checkParses(text);
            return new ReceivedAdt(frame, header, text, cs, null);
        } catch (RejectException e) {
            return new ReceivedAdt(frame, header, null, defaultCharset, e);
        }
    }

    /** Refuses what HAPI cannot parse; a plain message is known to parse without building HAPI's model. */
    private void checkParses(String text) {
        String cr = normaliseSegments(text);
        if (parseCheck.certainlyParses(cr)) {
            return;
        }
        try {
            parsers.get().parse(cr);
        } catch (HL7Exception e) {
            // HAPI's message text can quote the content; keep only its location and code.
            String where = e.getLocation() != null && e.getLocation().getSegmentName() != null
                    ? e.getLocation().toString() : "message";
            throw new RejectException(where, "102", "Data type error",
                    "the message cannot be parsed as HL7 v2 at " + where + " (HAPI error " + e.getErrorCode() + ")");
        } catch (RuntimeException e) {
            throw new RejectException("message", "102", "Data type error",
                    "the message cannot be parsed as HL7 v2 (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** CR, LF and CRLF all separate segments on the wire; HAPI wants CR. */
    public static String normaliseSegments(String text) {
        if (text.indexOf('\n') < 0) {
            return text;
        }
        return text.replace("\r\n", "\r").replace('\n', '\r');
    }

    private static String safe(String s) {
        return s.length() > 20 ? s.substring(0, 20) : s;
    }
}
