package org.cpis.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class NotificationMessageBuilderTest {
    private final FhirContext ctx = FhirContext.forR4Cached();

    @Test
    void arrivalMessageHasThePublishedLayout() {
        Bundle b = NotificationFixtures.allMessages().get(0);
        assertThat(b.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        assertThat(b.getIdentifier().getSystem()).isEqualTo(NotificationCodes.NOTIFICATION_ID_SYSTEM);
        assertThat(b.getIdentifier().getValue()).isEqualTo("n-arrival-1");
        assertThat(b.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("MessageHeader", "Patient", "Encounter", "Organization", "Flag", "Organization");

        MessageHeader h = (MessageHeader) b.getEntryFirstRep().getResource();
        assertThat(h.getEventCoding().getSystem()).isEqualTo(NotificationCodes.EVENT_SYSTEM);
        assertThat(h.getEventCoding().getCode()).isEqualTo("attendance-notification");
        assertThat(h.getSource().getEndpoint()).isEqualTo("https://cpis.example.nhs.uk/fhir");
        assertThat(h.getSender().getIdentifier().getValue()).isEqualTo("RX1");
        assertThat(h.getDestinationFirstRep().getEndpoint()).isEqualTo("http://localhost:8080/council-receiver/fhir");
        assertThat(h.getDestinationFirstRep().getReceiver().getReference()).isEqualTo(b.getEntry().get(5).getFullUrl());
        assertThat(h.getFocusFirstRep().getReference()).isEqualTo(b.getEntry().get(2).getFullUrl());

        Patient p = (Patient) b.getEntry().get(1).getResource();
        assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo(NotificationCodes.NHS_NUMBER_SYSTEM);
        assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo("9434765919");
        assertThat(p.getNameFirstRep().getFamily()).isEqualTo("SMITH");
        assertThat(p.getNameFirstRep().getGiven()).extracting(Object::toString).containsExactly("Jamie", "Lee");
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("2019-03-14");

        Encounter e = (Encounter) b.getEntry().get(2).getResource();
        assertThat(e.getClass_().getCode()).isEqualTo("EMER");
        assertThat(e.getStatus()).isEqualTo(Encounter.EncounterStatus.ARRIVED);
        assertThat(e.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-25T10:14:00Z");
        assertThat(e.getIdentifierFirstRep().getValue()).isEqualTo("V000123");
        assertThat(e.getServiceProvider().getReference()).isEqualTo(b.getEntry().get(3).getFullUrl());

        Organization site = (Organization) b.getEntry().get(3).getResource();
        assertThat(NotificationMessageBuilder.odsOf(site)).isEqualTo("RX1CC");
        assertThat(site.getPartOf().getIdentifier().getValue()).isEqualTo("RX1");

        Flag f = (Flag) b.getEntry().get(4).getResource();
        assertThat(f.getSubject().getReference()).isEqualTo(b.getEntry().get(1).getFullUrl());
        assertThat(f.getAuthor().getReference()).isEqualTo(b.getEntry().get(5).getFullUrl());
        assertThat(f.getIdentifier()).anyMatch(i -> i.getValue().equals("cpp-1"));
        assertThat(NotificationMessageBuilder.odsOf((Organization) b.getEntry().get(5).getResource())).isEqualTo("TSTC1");
    }

    @Test
    void sameNotificationIdGivesTheSameFullUrlsAndIdentifier() {
        NotificationMessageBuilder b = NotificationFixtures.builder();
        Bundle one = b.build("n-42", NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1(), null);
        Bundle two = b.build("n-42", NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1(), null);
        Bundle other = b.build("n-43", NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(),
                NotificationFixtures.cppFlag(), NotificationFixtures.tstc1(), null);
        assertThat(ctx.newJsonParser().encodeResourceToString(one)).isEqualTo(ctx.newJsonParser().encodeResourceToString(two));
        assertThat(one.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
                .allMatch(u -> u.startsWith("urn:uuid:")).doesNotHaveDuplicates();
        assertThat(other.getEntryFirstRep().getFullUrl()).isNotEqualTo(one.getEntryFirstRep().getFullUrl());
        assertThat(other.getEntry().get(5).getResource().getIdElement().isEmpty()).isTrue();
    }

    @Test
    void cancellationCarriesTheCancellationEventAndACancelledEncounter() {
        Bundle b = NotificationFixtures.allMessages().get(2);
        assertThat(((MessageHeader) b.getEntryFirstRep().getResource()).getEventCoding().getCode())
                .isEqualTo("attendance-cancellation");
        assertThat(((MessageHeader) b.getEntryFirstRep().getResource()).getDefinition())
                .isEqualTo(NotificationCodes.MESSAGE_DEFINITION_CANCELLATION);
        assertThat(((Encounter) b.getEntry().get(2).getResource()).getStatus()).isEqualTo(Encounter.EncounterStatus.CANCELLED);
    }

    @Test
    void rejectsAnOverlongNotificationId() {
        assertThatThrownBy(() -> NotificationFixtures.builder().build("x".repeat(65), NotificationEvent.ATTENDANCE_NOTIFICATION,
                NotificationFixtures.arrival(), NotificationFixtures.cppFlag(), NotificationFixtures.tstc1(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("9434765919");
    }

    @Test
    void everyMessageTheBuilderProducesValidates() {
        for (Bundle b : NotificationFixtures.allMessages()) {
            ValidationResult r = SharedValidator.get().validate(b);
            assertThat(NotificationValidator.errors(r)).as("errors in %s:%n%s", b.getIdentifier().getValue(), describe(r)).isEmpty();
        }
    }

    @Test
    void validatorCatchesABrokenMessage() {
        Bundle b = NotificationFixtures.allMessages().get(0);
        b.getEntry().remove(4); // no Flag
        ((MessageHeader) b.getEntryFirstRep().getResource()).getEventCoding().setCode("not-an-event");
        List<SingleValidationMessage> errors = NotificationValidator.errors(SharedValidator.get().validate(b));
        String all = errors.stream().map(SingleValidationMessage::getMessage).collect(Collectors.joining("\n"));
        assertThat(all).contains("cpis-bdl-2").contains("not-an-event");
    }

    @Test
    void publishedExampleValidatesAndIsWhatTheBuilderMakes() throws Exception {
        Path example = Path.of("docs/examples/notification-example.json");
        String json = Files.readString(example);
        ValidationResult r = SharedValidator.get().validate(json);
        assertThat(NotificationValidator.errors(r)).as(describe(r)).isEmpty();
        Bundle built = NotificationFixtures.builder().build("3f1c9a52-6f0e-4a3b-9d8e-2b7c4e1a9f10",
                NotificationEvent.ATTENDANCE_NOTIFICATION, NotificationFixtures.arrival(), NotificationFixtures.cppFlag(),
                NotificationFixtures.tstc1(), "https://council.testshire.example/fhir");
        assertThat(ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(built).strip()).isEqualTo(json.strip());
    }

    @Test
    void documentationShowsTheExampleFileVerbatim() throws Exception {
        String doc = Files.readString(Path.of("docs/notification-message.md"));
        String example = Files.readString(Path.of("docs/examples/notification-example.json")).strip();
        assertThat(doc).contains("```json\n" + example + "\n```");
    }

    static String describe(ValidationResult r) {
        return r.getMessages().stream().map(m -> m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }
}
