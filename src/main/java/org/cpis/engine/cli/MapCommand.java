package org.cpis.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cpis.engine.mapping.AttendanceJson;
import org.cpis.engine.mapping.DialectLoader;
import org.cpis.engine.mapping.Hl7Text;
import org.cpis.engine.mapping.MappingEngine;
import org.cpis.engine.mapping.MappingError;
import org.cpis.engine.mapping.MappingResult;
import org.cpis.engine.mapping.MappingsSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code map FILE}: the integrator's dry run. Maps every message in the file and prints a JSON
 * array, one entry per message, with the provenance of each value.
 */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"Map the HL7 v2 messages in FILE to attendances and print them as JSON, "
                + "with where each value came from (dialect, rule, HL7 path).",
            "Exit code 0 when every message mapped or was filtered, 1 when any failed or the mappings are invalid."})
public final class MapCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "File of one or more HL7 v2 messages (CR, LF or CRLF).")
    Path file;

    @Option(names = "--dialect", paramLabel = "NAME", description = "Use this dialect instead of choosing by MSH-3/MSH-4.")
    String dialect;

    @Option(names = "--mappings", paramLabel = "DIR",
            description = "Mappings folder (default: ./mappings if it exists, else the copy in the jar).")
    Path mappings;

    @Override
    public Integer call() throws IOException {
        MappingsSource source = mappings != null ? MappingsSource.directory(mappings)
                : MappingsSource.directoryOrClasspath(Path.of("mappings"));
        DialectLoader.Result loaded = DialectLoader.validate(source.read());
        if (!loaded.ok()) {
            for (MappingError e : loaded.errors()) {
                spec.commandLine().getErr().println(e);
            }
            return 1;
        }
        if (dialect != null && loaded.dialects().byName(dialect) == null) {
            spec.commandLine().getErr().println("cpis-engine map: no dialect named '" + dialect + "' in "
                    + source.describe() + " (known: " + String.join(", ", loaded.dialects().all().keySet()) + ")");
            return 2;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("cpis-engine map: " + file + ": no such file");
            return 1;
        }
        List<String> messages = Hl7Text.split(Hl7Text.decode(bytes));
        if (messages.isEmpty()) {
            spec.commandLine().getErr().println("cpis-engine map: " + file + ": no HL7 message (no MSH segment)");
            return 1;
        }
        MappingEngine engine = new MappingEngine(source, loaded.dialects());
        List<Map<String, Object>> out = new ArrayList<>();
        boolean failed = false;
        for (String m : messages) {
            MappingResult r = engine.map(m, dialect);
            failed |= r.isFailed();
            out.add(AttendanceJson.toMap(r, true));
        }
        spec.commandLine().getOut().println(AttendanceJson.mapper().writeValueAsString(out));
        return failed ? 1 : 0;
    }
}
