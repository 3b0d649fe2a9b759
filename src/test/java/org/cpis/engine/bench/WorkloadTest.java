package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cpis.engine.nhs.NhsNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {

    static final int N = 20_000;
    static Workload workload;

    @BeforeAll
    static void create() {
        workload = Workload.create(5_000, 50_000, 0.01, 7);
    }

    @Test
    void eventMixIsSixtyTwentyFiveTenFive() {
        Map<AdtEvent, Integer> counts = new EnumMap<>(AdtEvent.class);
        WorkloadStream s = workload.stream("MIX", 1);
        for (int i = 0; i < N; i++) {
            counts.merge(s.next().event(), 1, Integer::sum);
        }
        // 20,000 draws: two percentage points is more than four standard deviations for every share.
        assertThat(100.0 * counts.get(AdtEvent.A04) / N).isCloseTo(60, within(2.0));
        assertThat(100.0 * counts.get(AdtEvent.A08) / N).isCloseTo(25, within(2.0));
        assertThat(100.0 * counts.get(AdtEvent.A03) / N).isCloseTo(10, within(1.5));
        assertThat(100.0 * counts.get(AdtEvent.A01) / N).isCloseTo(5, within(1.0));
    }

    @Test
    void dialectMixFollowsTheDeclaredShares() {
        Map<Dialect, Integer> counts = new EnumMap<>(Dialect.class);
        WorkloadStream s = workload.stream("DIA", 2);
        for (int i = 0; i < N; i++) {
            counts.merge(s.next().dialect(), 1, Integer::sum);
        }
        for (Dialect d : Dialect.values()) {
            assertThat(100.0 * counts.get(d) / N).as(d.name()).isCloseTo(d.percent(), within(2.0));
        }
    }

    @Test
    void aboutOnePercentOfMessagesAreAboutFlaggedPatients() {
        WorkloadStream s = workload.stream("FLG", 3);
        int flagged = 0;
        for (int i = 0; i < N; i++) {
            GeneratedMessage m = s.next();
            assertThat(workload.flaggedNhsNumbers().contains(m.nhsNumber())).isEqualTo(m.flagged());
            if (m.flagged()) {
                flagged++;
            }
        }
        // expected 200, standard deviation about 14
        assertThat(flagged).isBetween(140, 260);
    }

    @Test
    void everyNhsNumberIsAValidTestNumberAndFlagsAreOnePerNumber() {
        Set<String> seen = new HashSet<>();
        for (FlagRow r : workload.flags().rows()) {
            assertThat(NhsNumber.isValid(r.nhsNumber())).as(r.nhsNumber()).isTrue();
            assertThat(r.nhsNumber()).startsWith("999");
            assertThat(seen.add(r.nhsNumber())).isTrue();
            assertThat(r.councilOds()).isIn("TSTC1", "TSTC2");
            assertThat(r.kindCode()).isIn(FlagRow.CHILD_PROTECTION_PLAN, FlagRow.LOOKED_AFTER_CHILD);
            // still visible: open, or ended less than 365 days ago
            if (r.end() != null) {
                assertThat(r.end()).isAfter(java.time.LocalDate.now().minusDays(365)).isAfter(r.start());
            }
        }
        assertThat(workload.flags().size()).isEqualTo(5_000);
        assertThat(workload.flaggedNhsNumbers()).hasSize(5_000);
        WorkloadStream s = workload.stream("NHS", 4);
        for (int i = 0; i < 5_000; i++) {
            assertThat(NhsNumber.isValid(s.next().nhsNumber())).isTrue();
        }
    }

    @Test
    void controlIdsAndVisitNumbersAreUniqueAcrossStreams() {
        Set<String> ids = new HashSet<>();
        Set<String> visits = new HashSet<>();
        for (String tag : List.of("A0", "A1", "B0")) {
            WorkloadStream s = workload.stream(tag, 5);
            for (int i = 0; i < 3_000; i++) {
                GeneratedMessage m = s.next();
                assertThat(ids.add(m.controlId())).as(m.controlId()).isTrue();
                assertThat(visits.add(m.visitNumber())).isTrue();
                assertThat(CouncilReceiver.VISIT.matcher(m.visitNumber()).matches()).isTrue();
            }
        }
    }

    @Test
    void eachDialectPutsTheNhsNumberWhereThatSenderDoes() throws Exception {
        PipeParser parser = new PipeParser(new CanonicalModelClassFactory("2.5.1"));
        parser.setValidationContext(ValidationContextFactory.noValidation());
        String nhs = "9434765919";
        for (Dialect d : Dialect.values()) {
            for (AdtEvent e : AdtEvent.values()) {
                String text = AdtMessageBuilder.build(d, e, nhs, 12, "CTRL1", "BVT1X1", "20261125040000");
                Terser t = new Terser(parser.parse(d == Dialect.V23_PID2_LF ? text.replace('\n', '\r') : text));
                assertThat(t.get("/.MSH-10")).isEqualTo("CTRL1");
                assertThat(t.get("/.MSH-9-2")).isEqualTo(e.name());
                assertThat(t.get("/.PV1-19")).isEqualTo("BVT1X1");
                assertThat(t.get("/.PV1-2")).isEqualTo(e == AdtEvent.A01 ? "I" : "E");
                assertThat(t.get("/.PV1-44")).isEqualTo("20261125040000");
                assertThat(t.get("/.PID-5-1")).isNotBlank();
                switch (d) {
                    case ITK_V24 -> {
                        assertThat(text).doesNotContain("\n");
                        assertThat(t.get("/.MSH-12")).isEqualTo("2.4");
                        assertThat(t.get("/.MSH-9-3")).isEqualTo(e == AdtEvent.A03 ? "ADT_A03" : "ADT_A01");
                        assertThat(t.get("/.PID-3(1)-1")).isEqualTo(nhs);
                        assertThat(t.get("/.PID-3(1)-4")).isEqualTo("NHS");
                        assertThat(t.get("/.PID-3(1)-5")).isEqualTo("NH");
                        assertThat(t.get("/.PV1-3-4")).isEqualTo("RX1CC");
                        assertThat(t.get("/.PV1-3-11")).isEqualTo("RX1");
                        assertThat(t.get("/.PID-32")).isEqualTo("01");
                    }
                    case V23_PID2_LF -> {
                        assertThat(text).doesNotContain("\r").contains("\n");
                        assertThat(t.get("/.MSH-12")).isEqualTo("2.3");
                        assertThat(t.get("/.PID-2")).isEqualTo(nhs);
                        assertThat(t.get("/.PID-3(0)-5")).isEqualTo("MR");
                        assertThat(t.get("/.PID-3(1)-1")).isNull();
                    }
                    case V251_NH_MSH4 -> {
                        assertThat(t.get("/.MSH-12")).isEqualTo("2.5.1");
                        assertThat(t.get("/.PID-3(1)-1")).isEqualTo(nhs);
                        assertThat(t.get("/.PID-3(1)-4")).isNull();
                        assertThat(t.get("/.PID-3(1)-5")).isEqualTo("NH");
                        assertThat(t.get("/.MSH-4")).isEqualTo("RX1CC");
                        assertThat(t.get("/.PV1-3-4")).isNull();
                        assertThat(t.get("/.PID-32")).isEqualTo("NSTS01");
                    }
                    default -> throw new AssertionError(d);
                }
            }
        }
    }

    @Test
    void framesAreMllpAndBuiltInMemory() {
        GeneratedMessage m = workload.stream("FRM", 6).next();
        byte[] f = m.frame();
        assertThat(f[0]).isEqualTo((byte) 0x0b);
        assertThat(f[f.length - 2]).isEqualTo((byte) 0x1c);
        assertThat(f[f.length - 1]).isEqualTo((byte) 0x0d);
        assertThat(new String(f, 1, f.length - 3, StandardCharsets.UTF_8)).startsWith("MSH|^~\\&|").contains(m.controlId());
    }

    @Test
    void flagCsvHasTheCouncilExportLayout(@TempDir Path dir) throws Exception {
        Path csv = workload.flags().writeCsv(dir.resolve("flags.csv"));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(5_001);
        assertThat(lines.get(0)).isEqualTo("nhs_number,flag_code,start_date,end_date,council_ods");
        assertThat(lines.get(1)).matches("999\\d{7},(342191000000101|764841000000100),\\d{4}-\\d{2}-\\d{2},(\\d{4}-\\d{2}-\\d{2})?,TSTC[12]");
    }
}
