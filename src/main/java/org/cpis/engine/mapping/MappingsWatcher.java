package org.cpis.engine.mapping;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: watches the dialects folder (java WatchService; inotify on Linux) and, once a burst
 * of changes to {@code *.yaml}/{@code *.yml} files has been quiet for the debounce time, asks the
 * engine to {@link MappingEngine#reload() reload}. The engine validates the whole set and swaps it
 * in atomically, or logs each fault at ERROR and keeps the set in force.
 *
 * <pre>
 * MappingsWatcher w = new MappingsWatcher(engine, Duration.ofMillis(300));
 * w.start();   // ... w.close() on shutdown
 * </pre>
 */
public final class MappingsWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MappingsWatcher.class);

    private final MappingEngine engine;
    private final Duration debounce;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicReference<List<MappingError>> lastErrors = new AtomicReference<>(List.of());
    private WatchService watchService;
    private Thread thread;

    public MappingsWatcher(MappingEngine engine, Duration debounce) {
        this.engine = engine;
        this.debounce = debounce;
    }

    /**
     * The watcher as configured ({@code cpis.mappings.watch}, {@code cpis.mappings.reload-debounce}),
     * or null when hot reload is switched off.
     */
    public static MappingsWatcher fromConfig(MappingEngine engine, org.cpis.engine.config.EngineConfig config) {
        if (!config.getBoolean("cpis.mappings.watch", true)) {
            return null;
        }
        return new MappingsWatcher(engine, config.getDuration("cpis.mappings.reload-debounce", Duration.ofMillis(300)));
    }

    /**
     * Starts watching. Does nothing (and says so at INFO) when the engine's mappings come from the
     * jar, which cannot change while running.
     */
    public synchronized void start() throws IOException {
        if (thread != null) {
            return;
        }
        Path dir = engine.source().dialectsDir();
        if (dir == null) {
            LOG.info("mappings come from the jar: hot reload is off");
            return;
        }
        watchService = FileSystems.getDefault().newWatchService();
        dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::loop, "cpis-mappings-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.info("watching {} for mapping changes", dir);
    }

    /** True while the watcher thread runs. */
    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** How many reloads were attempted since start (applied or refused). */
    public long reloadAttempts() {
        return reloads.get();
    }

    /** The faults of the last reload attempt; empty when it was applied. */
    public List<MappingError> lastErrors() {
        return lastErrors.get();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                boolean relevant = drain(key);
                // Editors save in several steps (temp file, rename): wait until the folder is quiet.
                WatchKey more;
                while ((more = watchService.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    relevant |= drain(more);
                }
                if (relevant) {
                    List<MappingError> errors = engine.reload();
                    lastErrors.set(errors);
                    reloads.incrementAndGet();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.error("mappings watcher stopped: hot reload is off until restart", e);
        }
    }

    private static boolean drain(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
            } else {
                String name = ev.context().toString();
                relevant |= name.endsWith(".yaml") || name.endsWith(".yml");
            }
        }
        key.reset();
        return relevant;
    }

    /** Stops watching and waits for the watcher thread to end. */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.warn("closing the mappings watch service failed: {}", e.toString());
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }
}
