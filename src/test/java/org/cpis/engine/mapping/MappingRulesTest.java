package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cpis.engine.mapping.TestDialects.hl7;
import static org.cpis.engine.mapping.TestDialects.seg;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.cpis.engine.attendance.PatientIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of the default dialect and the NHS number rules, one minimal message per test. */
class MappingRulesTest {

    private static final String MSH_A04 = "MSH|^~\\&|EDIS|RX1|CPIS|CPIS|202403100915||ADT^A04|C1|P|2.4";
    private static final String PV1 = "PV1|1|E|ED^^^RX1CC^^^^^Test ED^^RX1";

    private final MappingEngine engine = TestDialects.projectEngine();

    private MappingResult map(String... segments) {
        return engine.map(hl7(segments));
    }

    @Test
    void nhsNumberFromPid3RepetitionMarkedByCx4Nhs() {
        // PID-3 rep 1: CX.4 = NHS, CX.5 empty
        MappingResult r = map(MSH_A04, seg("PID", 3, "M1^^^RX1^MR~9434765919^^^NHS", 5, "A^B", 32, "NSTS01"), PV1);
        assertThat(r.attendance().nhsNumber()).isEqualTo("9434765919");
        assertThat(r.provenance().get("nhsNumber").path()).isEqualTo("PID-3(1)-1");
        assertThat(r.provenance().get("nhsNumber").rule()).isEqualTo("pid3-marked-nhs");
        assertThat(r.attendance().localIdentifiers()).containsExactly(new PatientIdentifier("M1", "RX1", "MR"));
    }

    @Test
    void nhsNumberFromPid3RepetitionMarkedByCx5NhOnly() {
        // PID-3 rep 0: CX.4 empty, CX.5 = NH
        MappingResult r = map(MSH_A04, seg("PID", 3, "9449306753^^^^NH~M2^^^RX1^MR", 5, "A^B", 32, "01"), PV1);
        assertThat(r.attendance().nhsNumber()).isEqualTo("9449306753");
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);
    }

    @Test
    void nhsNumberFallsBackToAValidNumberInPid2() {
        // PID-2 holds the number with spaces; PID-3 has only an MRN
        MappingResult r = map(MSH_A04, seg("PID", 2, "943 476 5919", 3, "M3^^^RX1^MR", 5, "A^B", 32, "NSTS01"), PV1);
        assertThat(r.attendance().nhsNumber()).isEqualTo("9434765919");
        assertThat(r.provenance().get("nhsNumber").rule()).isEqualTo("pid2-valid-nhs");
    }

    @Test
    void anInvalidNumberInPid2IsNotTakenForAnNhsNumber() {
        // PID-2 is a local number that fails Modulus 11: the fallback's when: validNhsNumber refuses it
        MappingResult r = map(MSH_A04, "PID|1|1234567890|M3^^^RX1^MR||A^B", PV1);
        assertThat(r.attendance().nhsNumber()).isNull();
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.MISSING);
    }

    @Test
    void aMarkedNumberFailingModulus11IsInvalidAndNeverLookedUp() {
        // PID-3: 9434765918 has the wrong check digit
        MappingResult r = map(MSH_A04, seg("PID", 3, "9434765918^^^NHS^NH", 5, "A^B", 32, "NSTS01"), PV1);
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.INVALID);
        assertThat(r.attendance().lookupAllowed()).isFalse();
    }

    @Test
    void aNumberWithoutVerifiedStatusInPid32IsUnverified() {
        // PID-32 = NSTS02 (number present but not verified)
        MappingResult r = map(MSH_A04, seg("PID", 3, "9434765919^^^NHS^NH", 5, "A^B", 32, "NSTS02"), PV1);
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.UNVERIFIED);
        assertThat(r.attendance().verificationStatus()).isEqualTo("NSTS02");
        assertThat(r.attendance().lookupAllowed()).isFalse();
    }

    @Test
    void anEmptyPid32IsUnverifiedUnlessTheDialectSwitchesRequireVerifiedOff(@TempDir Path tmp) {
        // PID-32 empty: default requires verification; a dialect with requireVerified: false accepts it
        String pid = "PID|1||9434765919^^^NHS^NH||A^B";
        assertThat(map(MSH_A04, pid, PV1).attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.UNVERIFIED);

        Path m = TestDialects.withDefault(tmp);
        TestDialects.write(m, "nopid32.yaml", "match: {sendingApplication: EDIS}\nrules: {requireVerified: false}\n");
        MappingResult r = TestDialects.engine(m).map(hl7(MSH_A04, pid, PV1));
        assertThat(r.dialect()).isEqualTo("nopid32");
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);
    }

    @Test
    void eventsOutsideAttendanceEventsAreFilteredWithAReason() {
        // MSH-9.2 = A05 (pre-admit) is not in the default attendanceEvents
        MappingResult r = map("MSH|^~\\&|EDIS|RX1|||202403100915||ADT^A05|C2|P|2.4", "PID|1||9434765919^^^NHS^NH", PV1);
        assertThat(r.isFiltered()).isTrue();
        assertThat(r.reason()).contains("event A05 is not an attendance event");
        assertThat(r.triggerEvent()).isEqualTo("A05");
    }

    @Test
    void attendanceEventsAreConfigurablePerDialect(@TempDir Path tmp) {
        // MSH-9.2 = A04, but this dialect only counts admissions
        Path m = TestDialects.withDefault(tmp);
        TestDialects.write(m, "adm.yaml", "match: {sendingApplication: EDIS}\nrules: {attendanceEvents: [A01]}\n");
        MappingResult r = TestDialects.engine(m).map(hl7(MSH_A04, "PID|1||9434765919^^^NHS^NH", PV1));
        assertThat(r.isFiltered()).isTrue();
        assertThat(r.reason()).contains("A04").contains("adm");
    }

    @Test
    void nonAdtMessagesAreFiltered() {
        // MSH-9.1 = ORU: a lab result, not an ADT event
        MappingResult r = map("MSH|^~\\&|LAB|RX1|||202403100915||ORU^R01|C3|P|2.4", "PID|1||9434765919^^^NHS^NH");
        assertThat(r.isFiltered()).isTrue();
        assertThat(r.reason()).contains("message type ORU");
    }

    @Test
    void triggerEventsMapToEventKinds() {
        // MSH-9.2 through the eventKind value map
        String pid = "PID|1||9434765919^^^NHS^NH";
        assertThat(kind("A01", pid)).isEqualTo(EventKind.ADMISSION);
        assertThat(kind("A04", pid)).isEqualTo(EventKind.ARRIVAL);
        assertThat(kind("A08", pid)).isEqualTo(EventKind.UPDATE);
        assertThat(kind("A03", pid)).isEqualTo(EventKind.DISCHARGE);
        assertThat(kind("A11", pid)).isEqualTo(EventKind.CANCEL);
        assertThat(kind("A13", pid)).isEqualTo(EventKind.CANCEL);
        assertThat(kind("A40", pid)).isEqualTo(EventKind.MERGE);
    }

    private EventKind kind(String trigger, String pid) {
        return map("MSH|^~\\&|EDIS|RX1|||202403100915||ADT^" + trigger + "|C|P|2.4", pid, PV1).attendance().kind();
    }

    @Test
    void triggerEventFallsBackToEvn1WhenMsh9HasNoTrigger() {
        // MSH-9 = "ADT" only; EVN-1 = A04
        MappingResult r = map("MSH|^~\\&|EDIS|RX1|||202403100915||ADT|C4|P|2.3", "EVN|A04|202403100915",
                "PID|1||9434765919^^^NHS^NH", PV1);
        assertThat(r.triggerEvent()).isEqualTo("A04");
        assertThat(r.provenance().get("triggerEvent").path()).isEqualTo("EVN-1");
    }

    @Test
    void siteComesFromPv1_3_4ElseMsh4() {
        // PV1-3.4 = RX1CC wins over MSH-4 = RX1
        assertThat(map(MSH_A04, "PID|1", PV1).attendance().careSetting().siteOdsCode()).isEqualTo("RX1CC");
        // PV1-3 has no facility: MSH-4 is used
        MappingResult r = map("MSH|^~\\&|EDIS|RX1DD|||202403100915||ADT^A04|C5|P|2.5.1", "PID|1", "PV1|1|E|ED");
        assertThat(r.attendance().careSetting().siteOdsCode()).isEqualTo("RX1DD");
        assertThat(r.provenance().get("siteOdsCode").path()).isEqualTo("MSH-4-1");
    }

    @Test
    void crLfAndCrLfSeparatorsGiveTheSameAttendance() {
        // the same three segments with each separator
        String[] segs = {MSH_A04, seg("PID", 3, "9434765919^^^NHS^NH", 5, "A^B", 32, "NSTS01"), PV1};
        MappingResult cr = engine.map(String.join("\r", segs));
        MappingResult lf = engine.map(String.join("\n", segs) + "\n");
        MappingResult crlf = engine.map(String.join("\r\n", segs) + "\r\n");
        assertThat(lf.attendance()).isEqualTo(cr.attendance());
        assertThat(crlf.attendance()).isEqualTo(cr.attendance());
        assertThat(cr.attendance().careSetting().siteOdsCode()).isEqualTo("RX1CC");
    }

    @Test
    void timesWithoutOffsetAreEuropeLondonAndOffsetsAreKept() {
        // PV1-44 in summer (BST), in winter (GMT), and with an explicit offset
        assertThat(time("202407141322")).isEqualTo(OffsetDateTime.parse("2024-07-14T13:22:00+01:00"));
        assertThat(time("202401141322")).isEqualTo(OffsetDateTime.parse("2024-01-14T13:22:00Z"));
        assertThat(time("20240714132205-0500")).isEqualTo(OffsetDateTime.parse("2024-07-14T13:22:05-05:00"));
    }

    private OffsetDateTime time(String pv1_44) {
        return map(MSH_A04, "PID|1", seg("PV1", 2, "E", 3, "ED^^^RX1CC", 44, pv1_44))
                .attendance().attendanceTime();
    }

    @Test
    void attendanceTimeFallsBackToEvnThenMsh7() {
        // PV1-44 empty, EVN-6 empty, EVN-2 set
        MappingResult r = map(MSH_A04, "EVN|A04|202403100905", "PID|1", PV1);
        assertThat(r.attendance().attendanceTime()).isEqualTo(OffsetDateTime.parse("2024-03-10T09:05:00Z"));
        assertThat(r.provenance().get("attendanceTime").rule()).isEqualTo("evn-2-recorded");
        // no EVN at all: MSH-7
        assertThat(map(MSH_A04, "PID|1", PV1).provenance().get("attendanceTime").path()).isEqualTo("MSH-7");
    }

    @Test
    void patientClassGoesThroughTheValueMap() {
        // PV1-2 = E -> emergency; an unlisted code gives nothing (no "*" entry in the default map)
        assertThat(map(MSH_A04, "PID|1", PV1).attendance().patientClass()).isEqualTo("emergency");
        assertThat(map(MSH_A04, "PID|1", "PV1|1|Z|ED").attendance().patientClass()).isNull();
    }

    @Test
    void a40MapsThePriorIdentifiersAndPriorNhsNumber() {
        // MRG-1 holds the merged-away record's MRN and NHS number
        MappingResult r = map("MSH|^~\\&|EDIS|RX1|||202403111000||ADT^A40^ADT_A39|C6|P|2.4",
                seg("PID", 3, "9434765919^^^NHS^NH", 5, "A^B", 32, "NSTS01"),
                "MRG|RX1777^^^RX1^MR~9990000050^^^NHS^NH", PV1);
        assertThat(r.attendance().kind()).isEqualTo(EventKind.MERGE);
        assertThat(r.attendance().priorNhsNumber()).isEqualTo("9990000050");
        assertThat(r.attendance().priorIdentifiers()).containsExactly(
                new PatientIdentifier("RX1777", "RX1", "MR"), new PatientIdentifier("9990000050", "NHS", "NH"));
    }

    @Test
    void escapedSeparatorsAndUtf8NamesAreDecoded() {
        // PID-5.1 with \T\ (&) and an apostrophe; PID-5.2 accented
        MappingResult r = map(MSH_A04, "PID|1||9434765919^^^NHS^NH||O'Brien\\T\\Kelly^Zoë", PV1);
        assertThat(r.attendance().familyName()).isEqualTo("O'Brien&Kelly");
        assertThat(r.attendance().givenName()).isEqualTo("Zoë");
    }

    @Test
    void unparseableInputFailsWithAReasonHoldingNoPatientData() {
        // no MSH at the start: the reason must not quote the message
        MappingResult r = engine.map("PID|1||9434765919^^^NHS^NH||SECRET^NAME");
        assertThat(r.isFailed()).isTrue();
        assertThat(r.reason()).contains("MSH").doesNotContain("9434765919").doesNotContain("SECRET");
        assertThat(engine.map("").isFailed()).isTrue();
    }

    @Test
    void v28TruncationCharacterInMsh2IsAccepted() {
        // MSH-2 = ^~\&# (v2.7+ adds the truncation character)
        MappingResult r = engine.map(hl7("MSH|^~\\&#|EDIS|RX1|||202403100915||ADT^A04|C9|P|2.8",
                seg("PID", 3, "9434765919^^^NHS^NH", 32, "NSTS01"), PV1));
        assertThat(r.isMapped()).as(String.valueOf(r.reason())).isTrue();
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);
    }

    @Test
    void badDelimitersFailCleanly() {
        // MSH-2 too short to hold the encoding characters
        MappingResult r = engine.map("MSH|^|EDIS|RX1|||202403100915||ADT^A04|C10|P|2.4\rPID|1||9434765919");
        assertThat(r.isFailed()).isTrue();
        assertThat(r.reason()).contains("delimiters").doesNotContain("9434765919");
    }

    @Test
    void missingTriggerEventFails() {
        // MSH-9 = ADT with no trigger, and no EVN segment
        MappingResult r = map("MSH|^~\\&|EDIS|RX1|||202403100915||ADT|C7|P|2.4", "PID|1||9434765919^^^NHS^NH");
        assertThat(r.isFailed()).isTrue();
        assertThat(r.reason()).contains("no trigger event").doesNotContain("9434765919");
    }

    @Test
    void aSenderDialectOverridesOnlyWhatDiffersAndProvenanceSaysWhich(@TempDir Path tmp) {
        // the sender dialect changes siteOdsCode only; nhsNumber still comes from default.yaml's rule
        Path m = TestDialects.withDefault(tmp);
        TestDialects.write(m, "acme.yaml", """
                match:
                  sendingApplication: ACME
                fields:
                  siteOdsCode:
                    - rule: fixed-site
                      value: RX1ZZ
                """);
        MappingResult r = TestDialects.engine(m).map(hl7("MSH|^~\\&|ACME|RX1|||202403100915||ADT^A04|C8|P|2.4",
                seg("PID", 3, "9434765919^^^NHS^NH", 32, "NSTS01"), PV1));
        assertThat(r.dialect()).isEqualTo("acme");
        assertThat(r.attendance().careSetting().siteOdsCode()).isEqualTo("RX1ZZ");
        assertThat(r.provenance().get("siteOdsCode")).isEqualTo(new FieldSource("acme", "fixed-site", "value"));
        assertThat(r.provenance().get("nhsNumber").dialect()).isEqualTo("default");
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);
    }

    @Test
    void dialectSelectionPrefersExactSelectorsThenPatternsThenDefault(@TempDir Path tmp) {
        // MSH-3/MSH-4 decide: both exact > one exact > pattern > default
        Path m = TestDialects.withDefault(tmp);
        TestDialects.write(m, "both.yaml", "match: {sendingApplication: SYS, sendingFacility: RX1CC}\n");
        TestDialects.write(m, "app.yaml", "match: {sendingApplication: [SYS, SYS2]}\n");
        TestDialects.write(m, "pattern.yaml", "match: {sendingApplicationPattern: 'SYS.*'}\n");
        DialectSet set = TestDialects.engine(m).dialects();
        assertThat(set.select("SYS", "RX1CC").name()).isEqualTo("both");
        assertThat(set.select("SYS", "RX1DD").name()).isEqualTo("app");
        assertThat(set.select("SYS2", null).name()).isEqualTo("app");
        assertThat(set.select("SYS9", "RX1CC").name()).isEqualTo("pattern");
        assertThat(set.select("OTHER", "RX1CC").name()).isEqualTo("default");
    }

    @Test
    void aDialectCanBeForcedByName() {
        // OLDPAS's dialect reads PID-2 first and does not require PID-32
        MappingResult r = engine.map(hl7(MSH_A04, "PID|1|9434765919|M1^^^RX1^MR", PV1), "legacy-v23");
        assertThat(r.dialect()).isEqualTo("legacy-v23");
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);
        assertThat(engine.map(hl7(MSH_A04), "nosuch").reason()).isEqualTo("no dialect named nosuch");
    }
}
