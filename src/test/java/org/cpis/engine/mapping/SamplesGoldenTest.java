package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks samples/: every {@code X.hl7} is mapped with the project's mappings/ and its JSON (as
 * {@code cpis-engine map} prints it, without provenance) must equal {@code X.expected.json}.
 */
class SamplesGoldenTest {

    private static final Path SAMPLES = Path.of("samples");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everySampleMapsToItsExpectedJson() throws IOException {
        MappingEngine engine = TestDialects.projectEngine();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(18);
        return files.stream().map(hl7 -> DynamicTest.dynamicTest(SAMPLES.relativize(hl7).toString(), () -> {
            Path expectedFile = hl7.resolveSibling(hl7.getFileName().toString().replace(".hl7", ".expected.json"));
            assertThat(expectedFile).as("expected JSON beside " + hl7).exists();
            ArrayNode actual = JSON.createArrayNode();
            for (String m : Hl7Text.split(Hl7Text.decode(Files.readAllBytes(hl7)))) {
                ObjectNode node = JSON.valueToTree(AttendanceJson.toMap(engine.map(m), false));
                actual.add(node);
            }
            JsonNode expected = JSON.readTree(expectedFile.toFile());
            assertThat(actual).as(hl7.toString()).isEqualTo(expected);
        }));
    }

    @Test
    void samplesCoverSixDialectsAndEveryDialectHasASample() throws IOException {
        MappingEngine engine = TestDialects.projectEngine();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> s = Files.walk(SAMPLES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".hl7")).toList()) {
                for (String m : Hl7Text.split(Hl7Text.decode(Files.readAllBytes(p)))) {
                    used.add(engine.map(m).dialect());
                }
            }
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(6).containsExactlyInAnyOrderElementsOf(engine.dialects().all().keySet());
    }

    @Test
    void quickStartSampleIsTheFlaggedChildAtRx1cc() throws IOException {
        MappingResult r = TestDialects.projectEngine().map(
                Hl7Text.decode(Files.readAllBytes(SAMPLES.resolve("nhs-itk/a04-flagged-child.hl7"))));
        assertThat(r.isMapped()).isTrue();
        assertThat(r.attendance().nhsNumber()).isEqualTo("9434765919");
        assertThat(r.attendance().lookupAllowed()).isTrue();
        assertThat(r.attendance().careSetting().siteOdsCode()).isEqualTo("RX1CC");
    }
}
