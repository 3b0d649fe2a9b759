package org.cpis.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cpis.engine.mapping.DialectLoader;
import org.cpis.engine.mapping.MappingError;
import org.cpis.engine.mapping.MappingsSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code validate-mappings [DIR]}: checks every dialect file; prints {@code file:line: fault}. */
@Command(name = "validate-mappings", mixinStandardHelpOptions = true,
        description = {"Check every dialect file in DIR (a mappings folder, or its dialects folder) against the schema.",
            "Prints each fault as file:line: what is wrong. Exit code 0 when all are valid, 1 otherwise."})
public final class ValidateMappingsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Mappings folder (default: ./mappings if it exists, else the copy in the jar).")
    Path dir;

    @Override
    public Integer call() {
        MappingsSource source;
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println("cpis-engine validate-mappings: " + dir + ": no such folder");
                return 1;
            }
            source = MappingsSource.directory(dir);
        } else {
            source = MappingsSource.directoryOrClasspath(Path.of("mappings"));
        }
        DialectLoader.Result r = DialectLoader.validate(source.read());
        if (!r.ok()) {
            for (MappingError e : r.errors()) {
                spec.commandLine().getErr().println(e);
            }
            spec.commandLine().getErr().println(r.errors().size() + " fault(s) in " + source.describe());
            return 1;
        }
        spec.commandLine().getOut().println(source.describe() + ": " + r.dialects().all().size()
                + " dialect(s) valid: " + String.join(", ", r.dialects().all().keySet()));
        return 0;
    }
}
