package org.cpis.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine as the bench sees it: a separate JVM started from the fat jar
 * ({@code java -Xmx.. -jar cpis-engine.jar run}) on a fresh data folder and free loopback ports.
 *
 * <p>System properties passed (the engine must honour them):
 * <ul>
 *   <li>{@code cpis.data.dir}, {@code cpis.mllp.host/port}, {@code cpis.http.host/port} (existing keys);</li>
 *   <li>{@value #PRELOAD_KEY}: CSV of flags ({@link FlagRow#CSV_HEADER}) the engine loads into its flag
 *       store before its MLLP port opens;</li>
 *   <li>{@value #COUNCIL_ENDPOINT_KEY}: FHIR base URL that replaces every council's
 *       {@code $process-message} endpoint, so all notifications reach the bench's receiver.</li>
 * </ul>
 * The engine counts as started once its MLLP port accepts a connection.
 */
public final class EngineProcessTarget implements BenchTarget {
    /** glibc's limit on malloc arenas, set for the engine unless the bench's environment sets it. */
    static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";

    public static final String PRELOAD_KEY = "cpis.flags.preload-file";
    public static final String COUNCIL_ENDPOINT_KEY = "cpis.bench.council-endpoint";
    /**
     * The collector the engine runs with unless an engine JVM option names one, as recommended for
     * a 2-core deployment (docs/performance.md, session 10): on 2 cores G1's concurrent marking and
     * refinement took a third of the engine's CPU under a backlog; the parallel collector does none.
     */
    static final String DEFAULT_GC = "-XX:+UseParallelGC";

    private static final HttpClient METRICS_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper METRICS_JSON = new ObjectMapper();

    private final Path jar;
    private final List<String> launch;
    private final String maxHeap;
    private final Duration startTimeout;
    private final Map<String, String> extraProperties;
    private final FlagLoader afterStartLoader;

    private List<String> jvmOptions = List.of();
    private Process process;
    private Thread killer;
    private int mllpPort;
    private int httpPort;
    private Path log;
    private Duration startDuration;
    private Optional<ProcessMemory> lastMemory = Optional.empty();

    /**
     * @param extraProperties  more {@code -D} keys for the engine (win over the defaults here)
     * @param afterStartLoader when not null, flags go in through this once the engine is up (e.g. an
     *                         HTTP bulk upload to {@link #httpPort()}) instead of {@value #PRELOAD_KEY}
     */
    public EngineProcessTarget(Path jar, String maxHeap, Duration startTimeout, Map<String, String> extraProperties,
                               FlagLoader afterStartLoader) {
        this(jar, List.of("-jar", jar.toAbsolutePath().toString(), "run"), maxHeap, startTimeout, extraProperties,
                afterStartLoader);
    }

    /**
     * @param launch what follows the JVM options on the command line: {@code -jar <jar> run}, or
     *               {@code -cp <path> <main class>} for a stand-in engine in tests
     */
    EngineProcessTarget(Path jar, List<String> launch, String maxHeap, Duration startTimeout,
                        Map<String, String> extraProperties, FlagLoader afterStartLoader) {
        this.jar = jar;
        this.launch = List.copyOf(launch);
        this.maxHeap = maxHeap;
        this.startTimeout = startTimeout;
        this.extraProperties = Map.copyOf(extraProperties);
        this.afterStartLoader = afterStartLoader;
    }

    /**
     * More JVM options for the engine; {@code {dir}} stands for the engine's work folder, e.g.
     * {@code -XX:StartFlightRecording=settings=profile,filename={dir}/engine.jfr}.
     */
    public EngineProcessTarget jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** The JFR option that profiles the engine for the whole bench, written on exit. */
    public static String flightRecording() {
        return "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename={dir}/engine.jfr";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public void start(BenchContext ctx) throws Exception {
        if (jar != null && !Files.isRegularFile(jar)) {
            throw new IllegalStateException("engine jar not found: " + jar + " (build it with mvn -o package -DskipTests)");
        }
        Path dir = ctx.workDir().toAbsolutePath();
        Files.createDirectories(dir);
        log = dir.resolve("engine.log");
        mllpPort = FloorTarget.freePort();
        httpPort = FloorTarget.freePort();
        // A data folder left by an earlier run holds its database and queued messages: they would be
        // processed, and counted, in this run.
        Path data = dir.resolve("data");
        deleteTree(data);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("cpis.data.dir", data.toString());
        props.put("cpis.mllp.host", "127.0.0.1");
        props.put("cpis.mllp.port", Integer.toString(mllpPort));
        props.put("cpis.http.host", "127.0.0.1");
        props.put("cpis.http.port", Integer.toString(httpPort));
        props.put("cpis.mllp.max-connections", "128");
        // Measure the engine in its steady state: intake opens once the flag index has loaded.
        props.put("cpis.lookup.index.start-wait", startTimeout.toSeconds() + "s");
        if (ctx.councilEndpoint() != null) {
            props.put(COUNCIL_ENDPOINT_KEY, ctx.councilEndpoint());
        }
        if (afterStartLoader == null) {
            Path csv = ctx.workload().flags().writeCsv(dir.resolve("flags.csv"));
            props.put(PRELOAD_KEY, csv.toString());
        }
        props.putAll(extraProperties);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        if (!namesCollector(jvmOptions)) {
            cmd.add(DEFAULT_GC);
        }
        for (String o : jvmOptions) {
            cmd.add(o.replace("{dir}", dir.toString()));
        }
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(launch);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Two malloc arenas, as recommended for deployment (docs/performance.md): glibc's default of
        // 8 per core left 130 MiB in half-used arenas at the RSS peak and made the peak vary by 70 MiB.
        pb.environment().putIfAbsent(MALLOC_ARENA_MAX, "2");
        Files.writeString(dir.resolve("engine.cmd"), MALLOC_ARENA_MAX + "=" + pb.environment().get(MALLOC_ARENA_MAX)
                + " " + String.join(" ", cmd) + "\n");

        long t0 = System.nanoTime();
        process = pb.start();
        Process p = process;
        // Never leave an engine behind if the bench itself is stopped.
        killer = new Thread(p::destroyForcibly, "bench-engine-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        awaitMllp(t0);
        if (afterStartLoader != null) {
            afterStartLoader.load(ctx.workload().flags());
        }
        startDuration = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** True when the options choose a collector themselves (-XX:+UseG1GC and the like): two would not start. */
    static boolean namesCollector(List<String> options) {
        return options.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w*GC"));
    }

    /** Polls the MLLP port until it accepts, the process dies, or the start timeout passes. */
    private void awaitMllp(long t0) throws IOException {
        long deadline = t0 + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("engine exited with code " + process.exitValue()
                        + " while starting; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mllpPort), 500);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        throw new IllegalStateException("engine MLLP port did not open within " + startTimeout + "; see " + log);
    }

    @Override
    public int mllpPort() {
        return mllpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Time from launch to MLLP port open (flag preload included). */
    public Duration startDuration() {
        return startDuration;
    }

    public Path logFile() {
        return log;
    }

    @Override
    public boolean notifies() {
        return true;
    }

    /** From the engine's {@code GET /metrics}: {@code intake.queued} and {@code attendance.finished}. */
    @Override
    public Optional<PipelineCounters> pipelineCounters() {
        if (process == null || !process.isAlive()) {
            return Optional.empty();
        }
        try {
            HttpResponse<byte[]> response = METRICS_CLIENT.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            var counters = METRICS_JSON.readTree(response.body()).path("counters");
            return Optional.of(new PipelineCounters(counters.path("intake.queued").asLong(0),
                    counters.path("attendance.finished").asLong(0)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Optional<ProcessMemory> memory() {
        if (process != null && process.isAlive()) {
            lastMemory = ProcessMemory.of(process.pid());
        }
        return lastMemory;
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        memory();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        process = null;
    }
}
