package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MapCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CpisEngine.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void mapsTheQuickStartSampleWithProvenance() throws Exception {
        int code = run("map", "samples/nhs-itk/a04-flagged-child.hl7", "--mappings", "mappings");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(r.get("triggerEvent").asText()).isEqualTo("A04");
        assertThat(r.get("nhsNumberStatus").asText()).isEqualTo("valid");
        assertThat(r.at("/attendance/nhsNumber").asText()).isEqualTo("9434765919");
        assertThat(r.at("/attendance/careSetting/siteOdsCode").asText()).isEqualTo("RX1CC");
        // where the NHS number came from: dialect, rule, HL7 path
        assertThat(r.at("/provenance/nhsNumber/dialect").asText()).isEqualTo("default");
        assertThat(r.at("/provenance/nhsNumber/rule").asText()).isEqualTo("pid3-marked-nhs");
        assertThat(r.at("/provenance/nhsNumber/path").asText()).isEqualTo("PID-3(1)-1");
        assertThat(r.at("/provenance/siteOdsCode/path").asText()).isEqualTo("PV1-3-4");
    }

    @Test
    void mapsEveryMessageOfAFileWithMixedSeparators(@TempDir Path tmp) throws Exception {
        String a = new String(Files.readAllBytes(Path.of("samples/legacy-v23/a04-looked-after-child.hl7")), StandardCharsets.UTF_8);
        String b = new String(Files.readAllBytes(Path.of("samples/nhs-itk/a03-discharge-crlf.hl7")), StandardCharsets.UTF_8);
        String c = new String(Files.readAllBytes(Path.of("samples/nhs-itk/a05-preadmit-filtered.hl7")), StandardCharsets.UTF_8);
        Path file = Files.writeString(tmp.resolve("batch.hl7"), a + "\n" + b + c);
        assertThat(run("map", file.toString())).as(err.toString()).isZero();
        JsonNode all = new ObjectMapper().readTree(out.toString());
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("dialect").asText()).isEqualTo("legacy-v23");
        assertThat(all.get(1).get("triggerEvent").asText()).isEqualTo("A03");
        assertThat(all.get(2).get("outcome").asText()).isEqualTo("filtered");
        assertThat(all.get(2).get("reason").asText()).contains("A05");
    }

    @Test
    void dialectOptionForcesADialect() throws Exception {
        assertThat(run("map", "samples/nhs-itk/a04-flagged-child.hl7", "--dialect", "maternity")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get(0).get("dialect").asText()).isEqualTo("maternity");
    }

    @Test
    void unknownDialectIsAUsageError() {
        assertThat(run("map", "samples/nhs-itk/a04-flagged-child.hl7", "--dialect", "nosuch")).isEqualTo(2);
        assertThat(err.toString()).contains("no dialect named 'nosuch'").contains("default");
    }

    @Test
    void aMessageThatFailsGivesExitCode1(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.hl7"), "MSH|^~\\&|EDIS|RX1|||202403100915||ADT|1|P|2.4\r");
        assertThat(run("map", file.toString())).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(out.toString()).get(0).get("outcome").asText()).isEqualTo("failed");
    }

    @Test
    void missingFileSaysSo() {
        assertThat(run("map", "no/such/file.hl7")).isEqualTo(1);
        assertThat(err.toString()).contains("no/such/file.hl7: no such file");
    }

    @Test
    void invalidMappingsArePrintedAsFileLine(@TempDir Path tmp) throws Exception {
        Path dialects = Files.createDirectories(tmp.resolve("mappings/dialects"));
        Files.copy(Path.of("mappings/dialects/default.yaml"), dialects.resolve("default.yaml"));
        Files.writeString(dialects.resolve("x.yaml"), "match: {sendingApplication: X}\nfieldz: {}\n");
        assertThat(run("map", "samples/nhs-itk/a04-flagged-child.hl7", "--mappings", tmp.resolve("mappings").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith(dialects.resolve("x.yaml") + ":2: unknown key 'fieldz'");
    }
}
