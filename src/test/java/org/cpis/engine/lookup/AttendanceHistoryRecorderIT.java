package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History recording over real HTTP: camel-fhir conditional create against a real HAPI RestfulServer. */
class AttendanceHistoryRecorderIT {

    static FhirContext fhir;
    static TestFlagStore store;
    static DefaultCamelContext camel;
    static AttendanceHistoryRecorder recorder;

    @BeforeAll
    static void start() throws Exception {
        fhir = FhirContext.forR4Cached();
        store = new TestFlagStore(fhir);
        camel = new DefaultCamelContext();
        camel.start();
        camel.getRegistry().bind("historyClient", FlagStoreClientFactory.create(FlagStoreSettings.plain(store.baseUrl())));
        recorder = new AttendanceHistoryRecorder(new CamelFhirGateway(camel, "historyClient"));
    }

    @AfterAll
    static void stop() throws Exception {
        camel.stop();
        store.close();
    }

    @Test
    void recordsAnEncounterOncePerVisit() {
        int before = store.encounterCreates.get();
        String id = recorder.record(TestAttendances.arrival("9434765919", "VIS-100", "C1"));
        assertThat(id).startsWith("Encounter/");
        String again = recorder.record(TestAttendances.of("9434765919", NhsNumberStatus.VALID, "A08", EventKind.UPDATE,
                "VIS-100", "C2"));
        assertThat(again).isEqualTo(id);
        assertThat(store.encounterCreates.get() - before).isEqualTo(1);

        Encounter e = store.encounters.get(id.substring("Encounter/".length()));
        assertThat(e.getIdentifierFirstRep().getSystem()).isEqualTo(AttendanceHistoryRecorder.VISIT_SYSTEM_PREFIX + "RX1CC");
        assertThat(e.getIdentifierFirstRep().getValue()).isEqualTo("VIS-100");
        assertThat(e.getSubject().getIdentifier().getSystem()).isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
        assertThat(e.getSubject().getIdentifier().getValue()).isEqualTo("9434765919");
        assertThat(e.getClass_().getCode()).isEqualTo("EMER");
        assertThat(e.getStatus()).isEqualTo(Encounter.EncounterStatus.ARRIVED);
        assertThat(e.getPeriod().getStart().toInstant()).hasToString("2026-06-15T10:30:00Z");
        assertThat(e.getServiceProvider().getIdentifier().getValue()).isEqualTo("RX1CC");
        assertThat(e.getServiceProvider().getDisplay()).isEqualTo("Test General Hospital ED");
        assertThat(e.getLocationFirstRep().getLocation().getIdentifier().getValue()).isEqualTo("RX1CC");
    }

    @Test
    void anotherVisitIsAnotherEncounter() {
        String a = recorder.record(TestAttendances.arrival("9449305552", "VIS-200", "C1"));
        String b = recorder.record(TestAttendances.arrival("9449305552", "VIS-201", "C2"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void withoutAVisitNumberTheControlIdIdentifiesIt() {
        String a = recorder.record(TestAttendances.arrival("9990000018", null, "CTL-9"));
        assertThat(recorder.record(TestAttendances.arrival("9990000018", null, "CTL-9"))).isEqualTo(a);
        Encounter e = store.encounters.get(a.substring("Encounter/".length()));
        assertThat(e.getIdentifierFirstRep().getSystem()).isEqualTo(AttendanceHistoryRecorder.CONTROL_ID_SYSTEM_PREFIX + "RX1");
        assertThat(e.getIdentifierFirstRep().getValue()).isEqualTo("CTL-9");
    }

    @Test
    void storeFailureIsRetryable() {
        try {
            store.failWithStatus = 500;
            assertThatThrownBy(() -> recorder.record(TestAttendances.arrival("9434765919", "VIS-300", "C1")))
                    .isInstanceOfSatisfying(FlagLookupException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlagLookupException.Reason.SERVER_ERROR);
                        assertThat(e.getMessage()).doesNotContain("9434765919");
                    });
        } finally {
            store.failWithStatus = 0;
        }
    }
}
