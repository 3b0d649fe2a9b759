package org.cpis.engine.notify;

import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The plain-text form of a notification message (the body of the secure email). Read from the Bundle,
 * so a redelivery from the stored JSON says exactly what the FHIR message says.
 */
public final class NotificationText {
    private NotificationText() {
    }

    /** The notification id (Bundle.identifier value). */
    public static String notificationId(Bundle b) {
        return b.getIdentifier().getValue();
    }

    public static String render(Bundle b) {
        MessageHeader h = first(b, MessageHeader.class);
        Patient p = first(b, Patient.class);
        Encounter e = first(b, Encounter.class);
        Flag f = first(b, Flag.class);
        Organization site = b.getEntry().size() > 3 && b.getEntry().get(3).getResource() instanceof Organization o ? o : null;
        Organization council = b.getEntry().size() > 5 && b.getEntry().get(5).getResource() instanceof Organization o ? o : null;
        boolean cancel = h != null && "attendance-cancellation".equals(h.getEventCoding().getCode());

        StringBuilder sb = new StringBuilder(1024);
        sb.append(cancel ? "CANCELLATION of a child attendance notification" : "Child attendance notification").append("\n\n");
        line(sb, "Notification id", notificationId(b));
        line(sb, "Event", h == null ? null : h.getEventCoding().getDisplay());
        line(sb, "Sent", b.getTimestampElement().getValueAsString());
        if (cancel) {
            sb.append("\nThe care setting cancelled this attendance; disregard the earlier notification for it.\n");
        }
        sb.append("\nPatient\n");
        if (p != null) {
            line(sb, "  NHS number", p.getIdentifier().stream()
                    .filter(i -> NotificationCodes.NHS_NUMBER_SYSTEM.equals(i.getSystem())).map(i -> i.getValue()).findFirst().orElse(null));
            HumanName n = p.hasName() ? p.getNameFirstRep() : null;
            line(sb, "  Name", n == null ? null : (n.getGivenAsSingleString() + " " + (n.hasFamily() ? n.getFamily() : "")).trim());
            line(sb, "  Date of birth", p.getBirthDateElement().getValueAsString());
            line(sb, "  Gender", p.hasGender() ? p.getGender().getDisplay() : null);
        }
        sb.append("\nFlag\n");
        if (f != null) {
            Coding c = f.getCode().getCodingFirstRep();
            line(sb, "  Kind", (c.hasDisplay() ? c.getDisplay() : "") + (c.hasCode() ? " (SNOMED CT " + c.getCode() + ")" : ""));
            line(sb, "  Status", f.hasStatus() ? f.getStatus().toCode() : null);
            line(sb, "  From", f.getPeriod().getStartElement().getValueAsString());
            line(sb, "  To", f.getPeriod().getEndElement().getValueAsString());
        }
        sb.append("\nAttendance\n");
        if (e != null) {
            line(sb, "  Time", e.getPeriod().getStartElement().getValueAsString());
            line(sb, "  Status", e.hasStatus() ? e.getStatus().toCode() : null);
            line(sb, "  Patient class", e.getClass_().hasDisplay() ? e.getClass_().getDisplay() : e.getClass_().getCode());
            line(sb, "  Visit number", e.hasIdentifier() ? e.getIdentifierFirstRep().getValue() : null);
        }
        if (site != null) {
            line(sb, "  Care setting", site.getName());
            line(sb, "  Site ODS code", NotificationMessageBuilder.odsOf(site));
            line(sb, "  Trust ODS code", site.hasPartOf() ? site.getPartOf().getIdentifier().getValue() : null);
        }
        sb.append("\nResponsible council\n");
        if (council != null) {
            line(sb, "  Name", council.getName());
            line(sb, "  ODS code", NotificationMessageBuilder.odsOf(council));
            line(sb, "  Phone", council.getTelecom().stream()
                    .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
                    .map(t -> t.getValue() + (t.hasUse() ? " (" + t.getUse().toCode() + ")" : ""))
                    .collect(Collectors.joining(", ")));
        }
        sb.append("\nThe same notification is attached as a FHIR R4 message (notification.json);")
                .append("\nsee docs/notification-message.md of cpis-engine for its layout.\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        if (value != null && !value.isBlank()) {
            sb.append(label).append(": ").append(value).append('\n');
        }
    }

    private static <T extends Resource> T first(Bundle b, Class<T> type) {
        return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).findFirst().orElse(null);
    }
}
