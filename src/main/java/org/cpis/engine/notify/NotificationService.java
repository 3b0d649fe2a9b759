package org.cpis.engine.notify;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.delivery.ChannelType;
import org.cpis.engine.delivery.DeliveryRecords;
import org.cpis.engine.delivery.NotificationRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a notification decision into a stored message and one pending delivery per channel, in one
 * transaction. Idempotent on the notification id: replaying the step after a crash changes nothing
 * and returns the channels again, so the caller can (re)queue the deliveries.
 */
public final class NotificationService {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    /**
     * @param notificationId the id
     * @param councilOds the flag's council
     * @param channels one delivery to queue per channel
     * @param fallbackUsed the council is missing from the directory: raise an operator alert
     * @param created false when the notification had been stored before (a replay)
     */
    public record Planned(String notificationId, String councilOds, List<ChannelType> channels, boolean fallbackUsed,
            boolean created) {
    }

    private final NotificationMessageBuilder builder;
    private final CouncilDirectory directory;
    private final DeliveryRecords records;
    private final FhirContext ctx;
    private final Clock clock;

    public NotificationService(NotificationMessageBuilder builder, CouncilDirectory directory, DeliveryRecords records,
            FhirContext ctx, Clock clock) {
        this.builder = builder;
        this.directory = directory;
        this.records = records;
        this.ctx = ctx;
        this.clock = clock;
    }

    /**
     * Builds and stores the message for a decided notification.
     *
     * @param council the flag's council Organization (its ODS code picks the directory entry)
     */
    public Planned plan(String notificationId, NotificationEvent event, Attendance attendance, Flag flag, Organization council) {
        String ods = NotificationMessageBuilder.odsOf(council);
        if (ods == null) {
            throw new IllegalArgumentException("council Organization of notification " + notificationId + " has no ODS code");
        }
        CouncilRoute route = directory.resolve(ods);
        var existing = records.findNotification(notificationId);
        if (existing.isPresent()) {
            List<ChannelType> channels = records.forNotification(notificationId).stream().map(d -> d.channel()).toList();
            return new Planned(notificationId, existing.get().councilOds(), channels, existing.get().fallbackUsed(), false);
        }
        Bundle bundle = builder.build(notificationId, event, attendance, flag, council, route.target().destinationEndpoint());
        String json = ctx.newJsonParser().encodeResourceToString(bundle);
        String flagId = flag.getIdElement().getIdPart() != null ? flag.getIdElement().getIdPart() : "unknown";
        NotificationRecord rec = new NotificationRecord(notificationId, attendance.messageControlId(), flagId, route.requestedOds(),
                event.code(), route.fallbackUsed(), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), json);
        boolean created = records.saveNotificationWithDeliveries(rec, route.channels());
        if (route.fallbackUsed()) {
            LOG.warn("Council {} is not in the council directory: notification {} goes to the fallback", route.requestedOds(),
                    notificationId);
        }
        List<ChannelType> channels = created ? route.channels()
                : records.forNotification(notificationId).stream().map(d -> d.channel()).toList();
        return new Planned(notificationId, route.requestedOds(), channels, route.fallbackUsed(), created);
    }
}
