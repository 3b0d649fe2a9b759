package org.cpis.engine.intake;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds original-mode ACKs: MSA-2 = MSH-10, MSH-5/MSH-6 mirror MSH-3/MSH-4, in the sender's own
 * separators and charset. Also writes the one INFO line per message (control id, sender, event,
 * outcome; never patient data).
 */
public final class AckBuilder {
    private static final Logger LOG = LoggerFactory.getLogger("org.cpis.engine.intake.Intake");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final String application;
    private final String facility;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    public AckBuilder(String application, String facility) {
        this.application = application;
        this.facility = facility;
    }

    /** AA: the message is durably queued (or was already, for a duplicate). */
    public void accept(Exchange exchange) {
        ReceivedAdt adt = adt(exchange);
        boolean dup = Boolean.TRUE.equals(exchange.getProperty(IntakeHeaders.DUPLICATE));
        String text = dup ? "Duplicate of a message already received; not processed again" : "Message accepted";
        answer(exchange, adt, "AA", text, null);
        LOG.info("ADT {} from {} {} -> AA{}", adt.header().controlId(), adt.header().sender(), adt.header().event(),
                dup ? " (duplicate)" : "");
    }

    /** AR: the message is unusable; the sender must not resend it unchanged. */
    public void reject(Exchange exchange) {
        ReceivedAdt adt = adt(exchange);
        RejectException r = adt.rejection();
        answer(exchange, adt, "AR", r.getMessage(), r);
        Hl7Header h = adt.header();
        LOG.info("ADT {} from {} {} -> AR at {}: {}", h != null ? h.controlId() : "-", h != null ? h.sender() : "-",
                h != null ? h.event() : "-", r.location(), r.getMessage());
    }

    /** AE: we could not store the message; the sender should retry. */
    public void error(Exchange exchange) {
        ReceivedAdt adt = adt(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        RejectException r = new RejectException("", "207", "Application internal error",
                "The message could not be stored; please resend");
        if (adt == null) {
            exchange.getMessage().setBody(build(null, "AE", r.getMessage(), r, StandardCharsets.US_ASCII));
            LOG.warn("ADT (unread) -> AE: {}", describe(cause));
            return;
        }
        answer(exchange, adt, "AE", r.getMessage(), r);
        Hl7Header h = adt.header();
        LOG.warn("ADT {} from {} {} -> AE: {}", h != null ? h.controlId() : "-", h != null ? h.sender() : "-",
                h != null ? h.event() : "-", describe(cause));
    }

    private static String describe(Exception e) {
        // Exception class and the innermost cause's class only: messages may echo content.
        if (e == null) {
            return "unknown error";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + (root != e ? " caused by " + root.getClass().getSimpleName() : "");
    }

    private static ReceivedAdt adt(Exchange exchange) {
        return exchange.getProperty("cpisAdt", ReceivedAdt.class);
    }

    private void answer(Exchange exchange, ReceivedAdt adt, String code, String text, RejectException err) {
        Message m = exchange.getMessage();
        // What removeHeaders("Cpis*") removes, without its regex compiled for every other header
        // (a fifth of intake's allocation).
        m.getHeaders().keySet().removeIf(name -> name.regionMatches(true, 0, "Cpis", 0, 4));
        m.removeHeader(IntakeHeaders.GROUP_ID);
        m.setBody(build(adt.header(), code, text, err, adt.charset()));
    }

    /** The ACK bytes for a header (null when the header itself was unreadable). */
    public byte[] build(Hl7Header h, String code, String text, RejectException err, Charset cs) {
        char fs = h != null ? h.fieldSeparator() : '|';
        String enc = h != null ? h.encodingCharacters() : "^~\\&";
        char comp = enc.charAt(0);
        char sub = enc.charAt(3);
        String version = h != null && !h.version().isEmpty() ? h.version() : "2.5.1";
        String trigger = h != null ? h.triggerEvent() : "";
        StringBuilder sb = new StringBuilder(256);
        sb.append("MSH").append(fs).append(enc)
                .append(fs).append(h != null && !h.receivingApplication().isEmpty() ? h.receivingApplication() : application)
                .append(fs).append(h != null && !h.receivingFacility().isEmpty() ? h.receivingFacility() : facility)
                .append(fs).append(h != null ? h.sendingApplication() : "")
                .append(fs).append(h != null ? h.sendingFacility() : "")
                .append(fs).append(ZonedDateTime.now(LONDON).format(TS))
                .append(fs)
                .append(fs).append("ACK").append(trigger.isEmpty() ? "" : comp + trigger + comp + "ACK")
                .append(fs).append("CPIS").append(sequence.incrementAndGet())
                .append(fs).append(h != null && !h.processingId().isEmpty() ? h.processingId() : "P")
                .append(fs).append(version);
        if (h != null && !h.charset().isEmpty()) {
            sb.append(fs).append(fs).append(fs).append(fs).append(fs).append(fs).append(h.charset());
        }
        sb.append('\r');
        sb.append("MSA").append(fs).append(code).append(fs).append(h != null ? h.controlId() : "")
                .append(fs).append(clean(text, fs, enc));
        sb.append('\r');
        if (err != null) {
            String loc = location(err.location(), comp);
            String codeText = clean(err.codeText(), fs, enc);
            // ERR-1 (v2.3/2.4 ELD) and ERR-2..4 (v2.5+), so old and new parsers both find the fault.
            sb.append("ERR").append(fs)
                    .append(loc).append(comp).append(err.code()).append(sub).append(codeText).append(sub).append("HL70357")
                    .append(fs).append(loc)
                    .append(fs).append(err.code()).append(comp).append(codeText).append(comp).append("HL70357")
                    .append(fs).append(code.equals("AA") ? "W" : "E")
                    .append(fs).append(fs).append(fs).append(fs)
                    .append(fs).append(clean(err.getMessage(), fs, enc))
                    .append('\r');
        }
        return sb.toString().getBytes(cs);
    }

    /** {@code MSH-10} becomes {@code MSH^1^10} (segment, sequence, field). */
    static String location(String where, char comp) {
        if (where == null || where.isEmpty()) {
            return "";
        }
        int dash = where.indexOf('-');
        if (dash < 0) {
            return where.length() == 3 ? where + comp + "1" : "";
        }
        String seg = where.substring(0, dash);
        String field = where.substring(dash + 1).replaceAll("[^0-9].*$", "");
        return seg + comp + "1" + comp + field;
    }

    private static String clean(String text, char fs, String enc) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            sb.append(c == fs || enc.indexOf(c) >= 0 || c == '\r' || c == '\n' ? ' ' : c);
        }
        return sb.toString();
    }
}
