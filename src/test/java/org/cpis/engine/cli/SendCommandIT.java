package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cpis-engine send} against a real engine. */
class SendCommandIT {
    @TempDir
    static Path dir;
    static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Files.createDirectory(dir.resolve("data")), Map.of("cpis.pipeline.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    CliRun send(Path... files) {
        String[] args = new String[files.length + 3];
        args[0] = "send";
        args[1] = "--port";
        args[2] = String.valueOf(fx.mllpPort());
        for (int i = 0; i < files.length; i++) {
            args[i + 3] = files[i].toString();
        }
        return CliRun.of(args);
    }

    @Test
    void fileWithThreeLfSeparatedMessagesPrintsThreeAcksAndExitsZero() throws Exception {
        List<String> ids = List.of(Hl7.controlId("F1"), Hl7.controlId("F2"), Hl7.controlId("F3"));
        StringBuilder content = new StringBuilder();
        for (String id : ids) {
            content.append(Hl7.withSeparator(Hl7.adt("2.4", "A04", id), "\n"));
        }
        Path file = Files.writeString(dir.resolve("three.hl7"), content);

        CliRun run = send(file);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(run.outLines().get(i)).isEqualTo(file + "#" + (i + 1) + ": AA " + ids.get(i) + " Message accepted");
        }
    }

    @Test
    void crlfFileAndSecondFileAreSentToo() throws Exception {
        Path a = Files.writeString(dir.resolve("a.hl7"), Hl7.withSeparator(Hl7.adt("2.3", "A01", Hl7.controlId("A")), "\r\n"));
        Path b = Files.writeString(dir.resolve("b.hl7"), Hl7.adt("2.5.1", "A03", Hl7.controlId("B")));
        CliRun run = send(a, b);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(2).allSatisfy(l -> assertThat(l).contains(": AA "));
    }

    @Test
    void arExitsOneAndPrintsTheError() throws Exception {
        String id = Hl7.controlId("CLIAR");
        Path file = Files.writeString(dir.resolve("v30.hl7"), Hl7.adt("3.0", "A04", id));
        CliRun run = send(file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).startsWith(file + "#1: AR " + id);
        assertThat(run.out()).contains("ERR").contains("MSH^1^12");
    }

    @Test
    void oneArAmongAasStillExitsOne() throws Exception {
        String content = Hl7.adt("2.4", "A04", Hl7.controlId("OK")) + Hl7.adt("2.4", "A04", Hl7.controlId("BAD")).replace("|2.4|", "|9.9|");
        Path file = Files.writeString(dir.resolve("mixed.hl7"), content);
        CliRun run = send(file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines()).filteredOn(l -> l.contains("#")).hasSize(2);
    }

    @Test
    void missingFileExitsOneWithOneLine() {
        CliRun run = send(dir.resolve("nope.hl7"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("nope.hl7").contains("no such file");
    }

    @Test
    void nothingListeningExitsOne() throws Exception {
        Path file = Files.writeString(dir.resolve("one.hl7"), Hl7.adt("2.4", "A04", Hl7.controlId("X")));
        CliRun run = CliRun.of("send", "--port", String.valueOf(EngineFixture.freePort()), "--timeout", "2", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("cpis-engine send: localhost:");
    }
}
