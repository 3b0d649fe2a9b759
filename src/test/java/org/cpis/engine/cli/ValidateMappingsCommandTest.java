package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateMappingsCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CpisEngine.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void theProjectMappingsAreValid() {
        assertThat(run("validate-mappings", "mappings")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("6 dialect(s) valid").contains("default").contains("maternity");
    }

    @Test
    void theDialectsFolderItselfMayBeNamed() {
        assertThat(run("validate-mappings", "mappings/dialects")).as(err.toString()).isZero();
    }

    @Test
    void everyFaultIsPrintedAsFileLineAndTheExitCodeIs1(@TempDir Path tmp) throws Exception {
        Path dialects = Files.createDirectories(tmp.resolve("dialects"));
        Files.copy(Path.of("mappings/dialects/default.yaml"), dialects.resolve("default.yaml"));
        Files.writeString(dialects.resolve("a.yaml"), """
                match: {sendingApplication: DUP}
                fields:
                  visitNumber:
                    - path: PV1-nineteen
                """);
        Files.writeString(dialects.resolve("b.yaml"), """
                match: {sendingApplication: DUP}
                colour: blue
                """);
        assertThat(run("validate-mappings", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                dialects.resolve("a.yaml") + ":4: bad HL7 path 'PV1-nineteen': expected terser syntax "
                        + "SEG-field[(rep)][-component[-subcomponent]], e.g. PID-3(0)-1",
                dialects.resolve("b.yaml") + ":1: duplicate dialect selector: sendingApplication=DUP, "
                        + "sendingFacility=* is already claimed by dialect 'a'",
                dialects.resolve("b.yaml") + ":2: unknown key 'colour' in dialect (expected one of: description, "
                        + "extends, match, timeZone, rules, valueMaps, fields)",
                "3 fault(s) in " + dialects);
    }

    @Test
    void aMissingFolderIsReported() {
        assertThat(run("validate-mappings", "no/such/dir")).isEqualTo(1);
        assertThat(err.toString()).contains("no/such/dir: no such folder");
    }
}
