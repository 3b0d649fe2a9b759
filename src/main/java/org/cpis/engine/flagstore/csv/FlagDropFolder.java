package org.cpis.engine.flagstore.csv;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.flagstore.fhir.BundleProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watched drop folder per council: {@code <root>/<ODS>/*.csv} is imported as that council once the
 * file has stopped growing (same size and time on two polls). A name ending {@code .replace.csv}
 * replaces the council's flags. The input and its result file then move to {@code <ODS>/processed/}.
 * Councils are the sub-folders that exist; create {@code <root>/<ODS>/} to open one.
 */
public final class FlagDropFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlagDropFolder.class);

    private final Path root;
    private final FlagCsvLayout layout;
    private final BundleProcessor processor;
    private final Duration pollInterval;
    private final Map<Path, String> lastSeen = new HashMap<>();
    private ScheduledExecutorService timer;

    public FlagDropFolder(Path root, FlagCsvLayout layout, BundleProcessor processor, Duration pollInterval) {
        this.root = root;
        this.layout = layout;
        this.processor = processor;
        this.pollInterval = pollInterval;
    }

    /**
     * From the engine configuration, or null when {@code cpis.flagstore.drop.enabled} is false.
     * Folder: {@code cpis.flagstore.drop.dir} (default {@code <data>/flag-drop}); layout from {@code cpis.mappings.dir}.
     */
    public static FlagDropFolder fromConfig(org.cpis.engine.config.EngineConfig config,
                                            org.cpis.engine.flagstore.FlagStoreServer server) {
        if (!config.getBoolean("cpis.flagstore.drop.enabled", true)) {
            return null;
        }
        String dir = config.get("cpis.flagstore.drop.dir", "");
        Path root = dir.isEmpty() ? config.dataDir().resolve("flag-drop") : Path.of(dir);
        FlagCsvLayout layout = FlagCsvLayout.load(Path.of(config.get("cpis.mappings.dir", "./mappings")));
        return new FlagDropFolder(root, layout, server.bundleProcessor(),
                config.getDuration("cpis.flagstore.drop.poll-interval", Duration.ofSeconds(5)));
    }

    public synchronized void start() throws IOException {
        Files.createDirectories(root);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flag-drop");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Flag drop folder watching {}", root);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (Exception e) {
            LOG.warn("Flag drop folder poll failed: {}", e.toString());
        }
    }

    /** One pass over every council folder (the timer calls it; tests may too). */
    synchronized void poll() throws IOException {
        try (DirectoryStream<Path> councils = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : councils) {
                String ods = dir.getFileName().toString().toUpperCase(Locale.ROOT);
                if (!ods.matches("[A-Z0-9]{3,10}")) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.csv")) {
                    for (Path f : files) {
                        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        if (name.endsWith(".result.csv") || !Files.isRegularFile(f)) {
                            continue;
                        }
                        String stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
                        if (!stamp.equals(lastSeen.put(f, stamp))) {
                            continue; // new or still growing: look again next poll
                        }
                        lastSeen.remove(f);
                        importOne(f, ods, name.endsWith(".replace.csv"));
                    }
                }
            }
        }
    }

    private void importOne(Path f, String ods, boolean replace) throws IOException {
        FlagImporter importer = new FlagImporter(layout, FlagUploader.local(processor, ods),
                FlagImporter.DEFAULT_BATCH_SIZE, Clock.systemUTC());
        ImportReport report = importer.importFile(f, ods, replace);
        Path done = Files.createDirectories(f.resolveSibling("processed"));
        Files.move(f, done.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.move(report.resultFile(), done.resolve(report.resultFile().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        LOG.info("Flag drop {} {}: {} ({} ms)", ods, f.getFileName(), report.fileCode() + " " + report.accepted() + "/"
                + report.rows().size() + " accepted", report.millis());
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
