package org.cpis.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.flagstore.csv.FlagCsvLayout;
import org.cpis.engine.flagstore.csv.FlagImporter;
import org.cpis.engine.flagstore.csv.FlagUploader;
import org.cpis.engine.flagstore.csv.ImportReport;
import org.cpis.engine.flagstore.csv.ResultCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import-flags}: uploads a council's flag CSV to a flag store over FHIR. */
@Command(name = "import-flags", mixinStandardHelpOptions = true,
        description = {"Upload a council's flag CSV (layout: mappings/flag-csv.yaml) to a FHIR flag store.",
            "Per-row results go to <FILE without .csv>.result.csv next to FILE.",
            "Exit code 0 when every row was accepted, 1 otherwise."})
public final class ImportFlagsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--council", required = true, paramLabel = "ODS", description = "ODS code of the council the flags belong to.")
    String council;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://localhost:8080/fhir",
            description = "Base URL of the flag store (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "T", description = "Bearer token (default: environment variable CPIS_TOKEN).")
    String token;

    @Option(names = "--replace", description = "Replace all the council's flags with this file, atomically.")
    boolean replace;

    @Option(names = "--mappings", paramLabel = "DIR", description = "Folder holding flag-csv.yaml (default: cpis.mappings.dir).")
    Path mappings;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Rows per batch Bundle (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) {
            err.println("cpis-engine import-flags: " + file + ": no such file");
            return 2;
        }
        if (!council.matches("[A-Za-z0-9]{3,10}")) {
            err.println("cpis-engine import-flags: --council " + council + ": not an ODS code");
            return 2;
        }
        if (batchSize < 1) {
            err.println("cpis-engine import-flags: --batch-size must be at least 1");
            return 2;
        }
        String t = token != null ? token : System.getenv("CPIS_TOKEN");
        Path dir = mappings != null ? mappings : Path.of(EngineConfig.load().get("cpis.mappings.dir", "./mappings"));
        FlagCsvLayout layout = FlagCsvLayout.load(dir);
        FlagImporter importer = new FlagImporter(layout, FlagUploader.http(url, t), batchSize, java.time.Clock.systemUTC());
        ImportReport report = importer.importFile(file, council, replace);
        (report.fileCode().equals(ResultCodes.F_ACCEPTED) ? out : err).println("cpis-engine import-flags: " + report.summary());
        return report.fileCode().equals(ResultCodes.F_ACCEPTED) ? 0 : 1;
    }
}
