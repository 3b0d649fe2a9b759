package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage behaviour of every command: --help exits 0; an unknown option gets one line and exit 2. */
class CpisEngineCliTest {

    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        names.add("");
        names.addAll(CpisEngine.commandLine().getSubcommands().keySet());
        return names.stream();
    }

    @ParameterizedTest(name = "cpis-engine {0} --help")
    @MethodSource("commands")
    void helpOnEveryCommandExitsZero(String command) {
        CliRun run = command.isEmpty() ? CliRun.of("--help") : CliRun.of(command, "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage:");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "cpis-engine {0} --bogus")
    @ValueSource(strings = {"", "send", "run"})
    void unknownOptionExitsTwoWithOneLineNamingIt(String command) {
        CliRun run = command.isEmpty() ? CliRun.of("--bogus") : CliRun.of(command, "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).filteredOn(l -> l.contains("--bogus")).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("cpis-engine").contains("--bogus");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "send {0}")
    @ValueSource(strings = {"--port=notanumber", "--timeout=x"})
    void badOptionValueExitsTwo(String option) {
        CliRun run = CliRun.of("send", option, "some.hl7");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines().get(0)).contains(option.substring(0, option.indexOf('=')));
    }

    @ParameterizedTest(name = "send without a file")
    @ValueSource(strings = {"send"})
    void sendWithoutFileExitsTwo(String command) {
        CliRun run = CliRun.of(command);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines().get(0)).contains("FILE");
    }
}
