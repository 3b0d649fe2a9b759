package org.cpis.engine.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.CareSetting;
import org.cpis.engine.attendance.EventKind;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds the attendance notification: a FHIR R4 {@code Bundle} of type {@code message}, laid out as
 * docs/notification-message.md publishes it. The same notification id always gives the same
 * {@code Bundle.identifier} and the same {@code fullUrl}s, so a council can recognise a redelivery.
 * Pure mapping: no I/O, no Camel, thread-safe.
 */
public final class NotificationMessageBuilder {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private final String engineEndpoint;
    private final String senderOds;
    private final String senderName;
    private final String softwareVersion;
    private final Clock clock;

    /**
     * @param engineEndpoint MessageHeader.source.endpoint: the engine's public base URL
     * @param senderOds ODS code of the organisation that runs the engine (MessageHeader.sender)
     * @param senderName its name, or null
     * @param softwareVersion engine version for MessageHeader.source.version, or null
     * @param clock time source for Bundle.timestamp
     */
    public NotificationMessageBuilder(String engineEndpoint, String senderOds, String senderName,
            String softwareVersion, Clock clock) {
        this.engineEndpoint = Objects.requireNonNull(engineEndpoint, "engineEndpoint");
        this.senderOds = Objects.requireNonNull(senderOds, "senderOds");
        this.senderName = senderName;
        this.softwareVersion = softwareVersion;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Builds one notification message.
     *
     * @param notificationId stable id chosen by the caller (becomes Bundle.identifier); max 64 chars
     * @param event notification or cancellation
     * @param attendance the attendance that matched
     * @param flag the matched flag (copied, not changed)
     * @param council the responsible council (copied, not changed)
     * @param destinationEndpoint where the message goes (council's FHIR base, or {@code mailto:}); null
     *        gives {@code urn:cpis:council:<ODS>}
     */
    public Bundle build(String notificationId, NotificationEvent event, Attendance attendance, Flag flag,
            Organization council, String destinationEndpoint) {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(attendance, "attendance");
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(council, "council");
        if (notificationId.isBlank() || notificationId.length() > 64) {
            throw new IllegalArgumentException("notification id must have 1 to 64 characters");
        }

        String headerUrl = fullUrl(notificationId, "MessageHeader");
        String patientUrl = fullUrl(notificationId, "Patient");
        String encounterUrl = fullUrl(notificationId, "Encounter");
        String careSettingUrl = fullUrl(notificationId, "CareSetting");
        String flagUrl = fullUrl(notificationId, "Flag");
        String councilUrl = fullUrl(notificationId, "Council");

        Organization councilOrg = councilCopy(council);
        String councilOds = odsOf(councilOrg);

        Patient patient = patient(attendance);
        Organization careSetting = careSetting(attendance.careSetting());
        Encounter encounter = encounter(event, attendance, patientUrl, careSettingUrl);
        Flag flagCopy = flagCopy(flag, patientUrl, councilUrl);

        MessageHeader header = new MessageHeader();
        // The id lets the council's response.identifier name this message (R4 MessageHeader.response).
        header.setId(headerUrl.substring("urn:uuid:".length()));
        header.getMeta().addProfile(NotificationCodes.PROFILE_MESSAGE_HEADER);
        header.setEvent(new Coding(NotificationCodes.EVENT_SYSTEM, event.code(), event.display()));
        header.setDefinition(event.messageDefinition());
        MessageHeader.MessageDestinationComponent dest = header.addDestination();
        dest.setName(councilOrg.hasName() ? councilOrg.getName() : councilOds);
        dest.setEndpoint(destinationEndpoint != null && !destinationEndpoint.isBlank() ? destinationEndpoint
                : "urn:cpis:council:" + (councilOds != null ? councilOds : "unknown"));
        dest.setReceiver(new Reference(councilUrl));
        Reference sender = new Reference().setIdentifier(new Identifier()
                .setSystem(NotificationCodes.ODS_SYSTEM).setValue(senderOds));
        if (senderName != null && !senderName.isBlank()) {
            sender.setDisplay(senderName);
        }
        header.setSender(sender);
        header.getSource().setName("cpis-engine").setSoftware("cpis-engine").setEndpoint(engineEndpoint);
        if (softwareVersion != null && !softwareVersion.isBlank()) {
            header.getSource().setVersion(softwareVersion);
        }
        header.setResponsible(new Reference(careSettingUrl));
        header.addFocus(new Reference(encounterUrl));

        Bundle bundle = new Bundle();
        bundle.getMeta().addProfile(NotificationCodes.PROFILE_BUNDLE);
        bundle.setType(Bundle.BundleType.MESSAGE);
        bundle.setIdentifier(new Identifier().setSystem(NotificationCodes.NOTIFICATION_ID_SYSTEM).setValue(notificationId));
        bundle.setTimestampElement(new InstantType(Date.from(clock.instant())));
        add(bundle, headerUrl, header);
        add(bundle, patientUrl, patient);
        add(bundle, encounterUrl, encounter);
        add(bundle, careSettingUrl, careSetting);
        add(bundle, flagUrl, flagCopy);
        add(bundle, councilUrl, councilOrg);
        return bundle;
    }

    /** {@code urn:uuid:} derived from the notification id and the entry's role: stable across redeliveries. */
    public static String fullUrl(String notificationId, String role) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes((notificationId + "#" + role).getBytes(StandardCharsets.UTF_8));
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource) {
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
    }

    private static Patient patient(Attendance a) {
        Patient p = new Patient();
        if (a.nhsNumber() != null) {
            p.addIdentifier().setSystem(NotificationCodes.NHS_NUMBER_SYSTEM).setValue(a.nhsNumber());
        }
        if (a.familyName() != null || a.givenName() != null) {
            HumanName name = p.addName().setUse(HumanName.NameUse.OFFICIAL);
            if (a.familyName() != null && !a.familyName().isBlank()) {
                name.setFamily(a.familyName());
            }
            if (a.givenName() != null) {
                for (String g : a.givenName().trim().split("\\s+")) {
                    if (!g.isEmpty()) {
                        name.addGiven(g);
                    }
                }
            }
        }
        if (a.birthDate() != null) {
            p.getBirthDateElement().setValueAsString(a.birthDate().toString());
        }
        AdministrativeGender gender = gender(a.sex());
        if (gender != null) {
            p.setGender(gender);
        }
        return p;
    }

    static AdministrativeGender gender(String sex) {
        if (sex == null) {
            return null;
        }
        return switch (sex.trim().toUpperCase(Locale.ROOT)) {
            case "M", "MALE" -> AdministrativeGender.MALE;
            case "F", "FEMALE" -> AdministrativeGender.FEMALE;
            case "O", "OTHER" -> AdministrativeGender.OTHER;
            case "U", "UNKNOWN" -> AdministrativeGender.UNKNOWN;
            default -> null;
        };
    }

    private static Organization careSetting(CareSetting cs) {
        Organization o = new Organization();
        if (cs == null) {
            o.setName("Unknown care setting");
            return o;
        }
        if (cs.siteOdsCode() != null) {
            o.addIdentifier().setSystem(NotificationCodes.ODS_SYSTEM).setValue(cs.siteOdsCode());
        }
        if (cs.name() != null && !cs.name().isBlank()) {
            o.setName(cs.name());
        }
        if (cs.trustOdsCode() != null && !cs.trustOdsCode().isBlank()) {
            // The trust is named by its ODS code only: the engine holds no trust record to embed.
            o.setPartOf(new Reference().setIdentifier(new Identifier()
                    .setSystem(NotificationCodes.ODS_SYSTEM).setValue(cs.trustOdsCode())));
        }
        return o;
    }

    private static Encounter encounter(NotificationEvent event, Attendance a, String patientUrl, String careSettingUrl) {
        Encounter e = new Encounter();
        e.setStatus(encounterStatus(event, a.kind()));
        e.setClass_(encounterClass(a.patientClass()));
        if (a.visitNumber() != null && !a.visitNumber().isBlank()) {
            e.addIdentifier().setSystem(NotificationCodes.VISIT_NUMBER_SYSTEM).setValue(a.visitNumber())
                    .setAssigner(new Reference(careSettingUrl));
        }
        e.setSubject(new Reference(patientUrl));
        if (a.attendanceTime() != null) {
            Period period = new Period();
            // Always to the second with the sender's offset: OffsetDateTime.toString() drops ":00" seconds,
            // which FHIR dateTime does not allow.
            period.setStartElement(new DateTimeType(SECONDS.format(a.attendanceTime())));
            e.setPeriod(period);
        }
        e.setServiceProvider(new Reference(careSettingUrl));
        return e;
    }

    static Encounter.EncounterStatus encounterStatus(NotificationEvent event, EventKind kind) {
        if (event == NotificationEvent.ATTENDANCE_CANCELLATION || kind == EventKind.CANCEL) {
            return Encounter.EncounterStatus.CANCELLED;
        }
        if (kind == null) {
            return Encounter.EncounterStatus.UNKNOWN;
        }
        return switch (kind) {
            case ARRIVAL -> Encounter.EncounterStatus.ARRIVED;
            case DISCHARGE -> Encounter.EncounterStatus.FINISHED;
            default -> Encounter.EncounterStatus.INPROGRESS;
        };
    }

    /** Patient class (after the dialect's value map, or the raw PV1-2 letter) to v3 ActCode. */
    static Coding encounterClass(String patientClass) {
        String pc = patientClass == null ? "" : patientClass.trim().toLowerCase(Locale.ROOT);
        return switch (pc) {
            case "emergency", "e" -> new Coding(NotificationCodes.ACT_CODE_SYSTEM, "EMER", "emergency");
            case "inpatient", "i", "obstetrics", "b" -> new Coding(NotificationCodes.ACT_CODE_SYSTEM, "IMP", "inpatient encounter");
            case "outpatient", "o", "ambulatory" -> new Coding(NotificationCodes.ACT_CODE_SYSTEM, "AMB", "ambulatory");
            case "preadmit", "p" -> new Coding(NotificationCodes.ACT_CODE_SYSTEM, "PRENC", "pre-admission");
            case "urgent", "u", "walk-in" -> new Coding(NotificationCodes.ACT_CODE_SYSTEM, "EMER", "emergency");
            // The binding is extensible: an unknown class is said honestly rather than guessed.
            default -> new Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");
        };
    }

    private static Flag flagCopy(Flag flag, String patientUrl, String councilUrl) {
        Flag f = flag.copy();
        f.setId((String) null);
        f.setMeta(null);
        f.getContained().clear();
        String storeId = flag.getIdElement().getIdPart();
        if (storeId != null && f.getIdentifier().stream()
                .noneMatch(i -> NotificationCodes.FLAG_STORE_ID_SYSTEM.equals(i.getSystem()))) {
            f.addIdentifier().setSystem(NotificationCodes.FLAG_STORE_ID_SYSTEM).setValue(storeId);
        }
        f.setSubject(new Reference(patientUrl));
        f.setAuthor(new Reference(councilUrl));
        f.setEncounter(null);
        return f;
    }

    private static Organization councilCopy(Organization council) {
        Organization o = council.copy();
        o.setId((String) null);
        o.setMeta(null);
        o.getContained().clear();
        o.setPartOf(null);
        o.getEndpoint().clear();
        return o;
    }

    /** The ODS code of an Organization, or null. */
    public static String odsOf(Organization org) {
        return org.getIdentifier().stream()
                .filter(i -> NotificationCodes.ODS_SYSTEM.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue).findFirst().orElse(null);
    }
}
