package org.cpis.engine.pipeline;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.decision.NotificationDecider;
import org.cpis.engine.decision.NotificationDecision;
import org.cpis.engine.delivery.ChannelType;
import org.cpis.engine.intake.IntakeHeaders;
import org.cpis.engine.lookup.AttendanceHistoryRecorder;
import org.cpis.engine.lookup.FlagLookup;
import org.cpis.engine.lookup.FlagMatch;
import org.cpis.engine.notify.NotificationEvent;
import org.cpis.engine.notify.NotificationService;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup stage ({@code lookup-flags}): search the flag store, and on a match record the
 * attendance in the store's history, decide the notifications once per attendance and flag, store
 * each notification and its deliveries, and hand one delivery task per channel on. A flag-store
 * failure throws, the JMS transaction rolls back and the broker retries: the attendance waits, it
 * is never dropped. Every step is idempotent, so a redelivery after a crash repeats nothing.
 */
public final class LookupStage {
    private static final Logger LOG = LoggerFactory.getLogger(LookupStage.class);

    private final FlagLookup lookup;
    private final AttendanceHistoryRecorder history;
    private final NotificationDecider decider;
    private final NotificationService notifications;
    private final OperatorAlerts alerts;
    private final PipelineStats stats;

    public LookupStage(FlagLookup lookup, AttendanceHistoryRecorder history, NotificationDecider decider,
            NotificationService notifications, OperatorAlerts alerts, PipelineStats stats) {
        this.lookup = lookup;
        this.history = history;
        this.decider = decider;
        this.notifications = notifications;
        this.alerts = alerts;
        this.stats = stats;
    }

    /** Body in: attendance JSON. Body out: the delivery tasks ({@code notificationId|channel}) to queue. */
    public void process(Exchange exchange) throws SQLException {
        Message m = exchange.getMessage();
        Attendance a = AttendanceCodec.decode(m.getBody(byte[].class));
        List<FlagMatch> matches = lookup.lookup(a);
        if (matches.isEmpty() && a.kind() != EventKind.CANCEL) {
            stats.count("lookup.no-flag");
            finish(exchange, "processed", "no flag", List.of());
            return;
        }
        if (!matches.isEmpty()) {
            stats.count("lookup.matched");
            if (a.kind() != EventKind.CANCEL) {
                history.record(a);
            }
        }
        List<String> tasks = new ArrayList<>();
        for (NotificationDecision d : decider.decide(a, matches)) {
            NotificationEvent event = d.event() == org.cpis.engine.decision.NotificationEvent.CANCEL
                    ? NotificationEvent.ATTENDANCE_CANCELLATION : NotificationEvent.ATTENDANCE_NOTIFICATION;
            NotificationService.Planned planned = notifications.plan(d.notificationId().toString(), event, a,
                    flagOf(d), councilOf(d));
            if (planned.fallbackUsed() && planned.created()) {
                alerts.raise("unknown-council", "council " + planned.councilOds()
                        + " is not in the council directory; notification sent to the fallback", planned.notificationId());
            }
            for (ChannelType c : planned.channels()) {
                tasks.add(planned.notificationId() + "|" + c.code());
            }
            stats.count("notification." + event.code());
            LOG.info("ADT {} {}: notification {} ({}) for council {} on {}", a.messageControlId(), a.triggerEvent(),
                    planned.notificationId(), event.code(), planned.councilOds(), planned.channels());
        }
        finish(exchange, "processed", matches.isEmpty() ? "cancel: nothing to withdraw"
                : "flag matched; " + tasks.size() + " delivery task(s)", tasks);
    }

    private static Flag flagOf(NotificationDecision d) {
        FlagMatch match = d.flag();
        if (match != null && match.flag() != null) {
            return match.flag();
        }
        // A cancel for a flag the store no longer returns: the message still names it by id.
        Flag f = new Flag();
        f.setId(match != null ? match.flagId() : "unknown");
        f.setStatus(Flag.FlagStatus.INACTIVE);
        return f;
    }

    private static Organization councilOf(NotificationDecision d) {
        FlagMatch match = d.flag();
        if (match != null && match.council() != null) {
            return match.council();
        }
        String ods = d.councilOds() != null ? d.councilOds() : match != null ? match.councilOds() : null;
        Organization o = new Organization();
        o.addIdentifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue(ods != null ? ods : "UNKNOWN");
        if (match != null && match.councilName() != null) {
            o.setName(match.councilName());
        }
        return o;
    }

    private static void finish(Exchange exchange, String status, String outcome, List<String> tasks) {
        exchange.setProperty(StageHeaders.STATUS, status);
        exchange.setProperty(StageHeaders.OUTCOME, outcome);
        exchange.getMessage().setBody(tasks);
        exchange.getMessage().removeHeader(IntakeHeaders.GROUP_ID);
    }
}
