package org.cpis.engine.pipeline;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.intake.AdtIntake;
import org.cpis.engine.intake.IntakeHeaders;
import org.cpis.engine.intake.ReceivedMessages;
import org.cpis.engine.lookup.FlagLookup;
import org.cpis.engine.mapping.MappingEngine;
import org.cpis.engine.mapping.MappingResult;
import org.cpis.engine.nhs.NhsNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attendance stage ({@code map-attendance}): map the raw ADT with its sender's dialect, filter,
 * and hand on attendances that may be looked up, unless the flag index already says the patient
 * has no flag. A message no dialect can map goes to the dead-letter record with the reason; nothing
 * is dropped.
 */
public final class AttendanceStage {
    private static final Logger LOG = LoggerFactory.getLogger(AttendanceStage.class);

    private final MappingEngine mapping;
    private final DeadLetters deadLetters;
    private final FlagLookup lookup;
    private final PipelineStats stats;

    /** @param lookup asked only whether its index already knows the patient has no flag */
    public AttendanceStage(MappingEngine mapping, DeadLetters deadLetters, FlagLookup lookup, PipelineStats stats) {
        this.mapping = mapping;
        this.deadLetters = deadLetters;
        this.lookup = lookup;
        this.stats = stats;
    }

    public void process(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        byte[] raw = m.getBody(byte[].class);
        String cs = m.getHeader(IntakeHeaders.CHARSET, String.class);
        String text = new String(raw, cs != null ? Charset.forName(cs) : StandardCharsets.UTF_8);
        MappingResult r = mapping.map(AdtIntake.normaliseSegments(text));
        String controlId = m.getHeader(IntakeHeaders.CONTROL_ID, String.class);
        if (r.isFailed()) {
            stats.count("attendance.dead-letter");
            deadLetters.record("map-attendance", m.getHeader(IntakeHeaders.MESSAGE_ID, String.class), controlId, r.reason(), raw);
            finish(exchange, "dead-letter", r.reason());
            LOG.warn("ADT {} could not be mapped (dialect {}): {}", controlId, r.dialect(), r.reason());
            return;
        }
        if (r.isFiltered()) {
            stats.count("attendance.filtered");
            finish(exchange, "filtered", r.reason());
            return;
        }
        Attendance a = r.attendance();
        stats.count("attendance.mapped");
        if (!a.lookupAllowed()) {
            stats.count("attendance.nhs-number." + a.nhsNumberStatus().code());
            finish(exchange, "processed", "NHS number " + a.nhsNumberStatus().code() + ": not looked up");
            LOG.debug("ADT {} {}: NHS number {} {}, not looked up", controlId, a.triggerEvent(),
                    NhsNumber.mask(a.nhsNumber()), a.nhsNumberStatus().code());
            return;
        }
        if (a.kind() != EventKind.CANCEL && lookup.knownUnflagged(a.nhsNumber())) {
            // About 99% of children have no flag: answer them here, from the flag index (never staler
            // than cpis.lookup.max-staleness), and save the lookup stage's queue hop and commit. A
            // cancel always goes on: it may withdraw an earlier notification for a flag since ended.
            stats.count("lookup.no-flag");
            finish(exchange, "processed", "no flag");
            return;
        }
        m.setBody(AttendanceCodec.encode(a));
        exchange.setProperty(StageHeaders.NEXT, "lookup");
        finish(exchange, "mapped", "handed to lookup");
    }

    private static void finish(Exchange exchange, String status, String outcome) {
        exchange.setProperty(StageHeaders.STATUS, status);
        exchange.setProperty(StageHeaders.OUTCOME, outcome);
    }

    /** Records the stage's outcome on the received message, after any hand-on succeeded. */
    public static void record(Exchange exchange, ReceivedMessages received) throws SQLException {
        received.finish(exchange, exchange.getProperty(StageHeaders.STATUS, String.class),
                exchange.getProperty(StageHeaders.OUTCOME, String.class));
    }
}
