package org.cpis.engine.app;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.cpis.engine.broker.Broker;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.db.Database;
import org.cpis.engine.db.DiskSync;
import org.cpis.engine.http.HealthServlet;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.http.MetricsServlet;
import org.cpis.engine.intake.AckBuilder;
import org.cpis.engine.intake.AdtIntake;
import org.cpis.engine.intake.DuplicateGuard;
import org.cpis.engine.intake.FastLane;
import org.cpis.engine.intake.MllpCodecs;
import org.cpis.engine.intake.MllpStats;
import org.cpis.engine.intake.MllpTls;
import org.cpis.engine.intake.ReceivedMessages;
import org.cpis.engine.intake.RejectedMessages;
import ca.uhn.fhir.context.FhirContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.cpis.engine.decision.NotificationDecider;
import org.cpis.engine.delivery.DeliveryRecords;
import org.cpis.engine.delivery.DeliveryService;
import org.cpis.engine.delivery.EmailSender;
import org.cpis.engine.delivery.FhirMessageSender;
import org.cpis.engine.delivery.RetryPolicy;
import org.cpis.engine.flagstore.FlagPreloader;
import org.cpis.engine.flagstore.FlagStoreSeeder;
import org.cpis.engine.flagstore.FlagStoreServer;
import org.cpis.engine.flagstore.FlagStoreSettings;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.auth.DemoTokens;
import org.cpis.engine.flagstore.csv.FlagDropFolder;
import org.cpis.engine.lookup.LookupModule;
import org.cpis.engine.mapping.MappingEngine;
import org.cpis.engine.mapping.MappingsSource;
import org.cpis.engine.mapping.MappingsWatcher;
import org.cpis.engine.notify.CouncilDirectory;
import org.cpis.engine.notify.NotificationMessageBuilder;
import org.cpis.engine.notify.NotificationService;
import org.cpis.engine.notify.NotificationValidator;
import org.cpis.engine.notify.NotifyConfig;
import org.cpis.engine.notify.receiver.CouncilReceiverServlet;
import org.cpis.engine.pipeline.AttendanceStage;
import org.cpis.engine.pipeline.DeadLetters;
import org.cpis.engine.pipeline.DeliveryStage;
import org.cpis.engine.pipeline.LookupStage;
import org.cpis.engine.pipeline.OperatorAlerts;
import org.cpis.engine.pipeline.PipelineStats;
import org.cpis.engine.pipeline.StageRecorder;
import org.cpis.engine.pipeline.batch.BatchJmsComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: database, durable queue, HTTP server and the Camel routes, started in that
 * order and stopped in reverse. {@code run} starts one; integration tests start one in-process.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private EngineConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final MllpStats mllpStats = new MllpStats();
    private Database database;
    private Broker broker;
    private HttpServer http;
    private Main main;
    private HealthServlet health;
    private FlagStoreServer flagStore;
    private CouncilReceiverServlet councilReceiver;
    private MappingEngine mapping;
    private LookupModule lookup;
    private final PipelineStats pipelineStats = new PipelineStats();
    private final Clock clock = Clock.systemUTC();

    private Engine(EngineConfig config) {
        this.config = config;
    }

    public static Engine start(EngineConfig config) throws Exception {
        Engine e = new Engine(config);
        try {
            e.doStart();
        } catch (Exception ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private void doStart() throws Exception {
        Path data = config.dataDir();
        Files.createDirectories(data);
        boolean demo = config.getBoolean("cpis.demo", false);
        database = Database.open(config);
        started.push(database);
        broker = Broker.start(config);
        started.push(broker);

        // The engine's own token for its lookups and history records in the embedded store: held in
        // memory only, new at every start.
        String engineToken = HexFormat.of().formatHex(randomBytes());
        Properties derived = new Properties();
        if (demo && config.get("cpis.security.tokens-file", "").isEmpty()) {
            derived.setProperty("cpis.security.tokens-file", DemoTokens.write(data).toString());
        } else if (config.get("cpis.security.tokens-file", "").isEmpty()) {
            derived.setProperty("cpis.security.tokens-file", emptyTokensFile(data).toString());
        }
        config = config.with(derived);

        http = new HttpServer(config.get("cpis.http.host", "0.0.0.0"), config.getInt("cpis.http.port", 8080),
                config.getInt("cpis.http.max-threads", 64));
        boolean embeddedStore = config.getBoolean("cpis.flagstore.enabled", true);
        if (embeddedStore) {
            FlagStoreSettings settings = FlagStoreSettings.fromConfig(config);
            flagStore = FlagStoreServer.create(database.dataSource(), settings.withTokens(
                    settings.tokens().withInternalToken(engineToken, Caller.LOOKUP)));
            http.mount("/fhir/*", flagStore);
        }
        NotifyConfig notifyConfig = NotifyConfig.from(config);
        if (notifyConfig.receiverEnabled()) {
            // The validator loads on the first message received (or now, in the background, for the
            // demo): the core definitions would otherwise take a third of the engine's heap for nothing.
            if (demo) {
                Thread warm = new Thread(NotificationValidator::shared, "cpis-validator-warm-up");
                warm.setDaemon(true);
                warm.start();
            }
            FhirContext r4 = FhirContext.forR4Cached();
            String token = notifyConfig.receiverBearerToken();
            councilReceiver = new CouncilReceiverServlet(r4, NotificationValidator::shared,
                    new org.cpis.engine.notify.receiver.ReceivedMessages(r4, notifyConfig.receiverStoreDir()),
                    token == null || token.isBlank() ? null : token,
                    "http://localhost:" + config.getInt("cpis.http.port", 8080) + "/council-receiver/fhir");
            http.mount("/council-receiver/fhir/*", councilReceiver);
        }
        health = new HealthServlet()
                .check("database", database::isHealthy)
                .check("broker", broker::isHealthy)
                .check("mllp", this::mllpListening);
        http.mount("/health", health);
        http.mount("/metrics", new MetricsServlet(this::counters));
        http.start();
        started.push(http);

        // Now the HTTP port is known (it may have been 0): point the lookup at the embedded store.
        Properties afterHttp = new Properties();
        afterHttp.setProperty("cpis.http.port", String.valueOf(http.port()));
        if (embeddedStore && config.get("cpis.lookup.store.url", "").isEmpty()) {
            afterHttp.setProperty("cpis.lookup.store.url", "http://localhost:" + http.port() + "/fhir");
            afterHttp.setProperty("cpis.lookup.store.auth", "bearer");
            afterHttp.setProperty("cpis.lookup.store.bearer-token", engineToken);
        }
        config = config.with(afterHttp);
        if (demo && flagStore != null) {
            int n = FlagStoreSeeder.seedDemo(flagStore);
            LOG.info("Demo: seeded {} sample councils and flags; demo tokens in {}", n, config.get("cpis.security.tokens-file"));
        }
        String preload = config.get("cpis.flags.preload-file", "");
        if (!preload.isEmpty() && flagStore != null) {
            // Before intake opens: an open MLLP port tells the benchmark the engine is ready.
            FlagPreloader.load(Path.of(preload), flagStore.bundleProcessor());
        }
        if (flagStore != null) {
            FlagDropFolder drop = FlagDropFolder.fromConfig(config, flagStore);
            if (drop != null) {
                drop.start();
                started.push(drop);
            }
        }

        mapping = MappingEngine.fromConfig(config);
        MappingsWatcher watcher = MappingsWatcher.fromConfig(mapping, config);
        if (watcher != null) {
            watcher.start();
            started.push(watcher);
        }

        main = new Main();
        // Camel Main's default strategy adds a JVM hook of its own on SIGTERM. Racing `run`'s hook, it
        // could leave that hook waiting the whole shutdown timeout (60 s) for the context it was about
        // to stop itself. The engine stops its parts in its own order, so Camel gets no hook.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.configure().setName("cpis-engine");
        main.configure().setJmxEnabled(false);
        main.configure().setRoutesIncludePattern(routesPattern());
        Properties props = config.resolved();
        // The netty consumer's ordered thread pool is a component setting, not an endpoint one.
        props.setProperty("camel.component.netty.maximumPoolSize", String.valueOf(config.getInt("cpis.mllp.worker-threads", 64)));
        // Override, not initial: Camel Main would otherwise let the defaults file win over -D and CPIS_* values.
        main.setOverrideProperties(props);
        bindBeans(main);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                bindStages(m.getCamelContext());
            }
        });
        main.start();
        started.push(main::stop);
        if (lookup != null) {
            started.push(lookup);
        }
        LOG.info("cpis-engine started: MLLP port {}, HTTP port {}, data folder {}{}",
                config.getInt("cpis.mllp.port", 2575), http.port(), data, demo ? " (demo)" : "");
    }

    /** The stage beans that need the Camel context (the lookup calls the flag store through camel-fhir). */
    private void bindStages(CamelContext camel) {
        var registry = camel.getRegistry();
        OperatorAlerts alerts = new OperatorAlerts(database.dataSource());
        DeadLetters deadLetters = new DeadLetters(database.dataSource());
        registry.bind("operatorAlerts", alerts);
        lookup = LookupModule.create(config, camel, clock);
        // Before the routes start: intake opens once the flagged-number index has loaded (or the wait
        // is over), so the first minutes after a start do not search the store for every child.
        lookup.start();
        awaitFlagIndex();
        registry.bind("fastLane", config.getBoolean("cpis.pipeline.fast-lane.enabled", true)
                ? new FastLane(lookup.lookup()::mayBeFlagged) : FastLane.off());
        registry.bind("attendanceStage", new AttendanceStage(mapping, deadLetters, lookup.lookup(), pipelineStats));
        NotifyConfig notifyConfig = NotifyConfig.from(config);
        FhirContext fhir = FhirContext.forR4Cached();
        warmUp(fhir);
        DeliveryRecords records = new DeliveryRecords(database.dataSource(), clock);
        CouncilDirectory loaded = CouncilDirectory.load(config);
        String benchEndpoint = config.get("cpis.bench.council-endpoint", "");
        CouncilDirectory directory = benchEndpoint.isEmpty() ? loaded : loaded.withFhirEndpointOnly(benchEndpoint);
        NotificationMessageBuilder builder = new NotificationMessageBuilder(notifyConfig.engineEndpoint(),
                notifyConfig.senderOds(), notifyConfig.senderName(), version(), clock);
        NotificationService notifications = new NotificationService(builder, directory, records, fhir, clock);
        registry.bind("lookupStage", new LookupStage(lookup.lookup(), lookup.recorder(),
                new NotificationDecider(database.dataSource(), clock), notifications, alerts, pipelineStats));
        EmailSender email = notifyConfig.smtp() != null && notifyConfig.smtp().host() != null
                && !notifyConfig.smtp().host().isEmpty() ? new EmailSender(notifyConfig.smtp(), fhir) : null;
        DeliveryService delivery = new DeliveryService(records, () -> directory, new FhirMessageSender(fhir), email);
        registry.bind("deliveryStage", new DeliveryStage(delivery, records, RetryPolicy.from(config), alerts,
                pipelineStats, clock));
    }

    /**
     * HAPI builds each resource type's model on first use, seconds on a busy machine: build the
     * notification's types before intake opens, not while the first flagged child waits.
     */
    private static void warmUp(FhirContext fhir) {
        Bundle b = new Bundle();
        for (Resource r : List.of(new MessageHeader(), new Patient(), new Encounter(), new Organization(), new Flag())) {
            b.addEntry().setResource(r);
        }
        fhir.newJsonParser().parseResource(fhir.newJsonParser().encodeResourceToString(b));
    }

    private void awaitFlagIndex() {
        Duration wait = config.getDuration("cpis.lookup.index.start-wait", Duration.ofSeconds(60));
        try {
            if (!lookup.awaitIndex(wait)) {
                LOG.warn("Flag index not loaded within {} s: intake opens now, lookups search the store live until it has",
                        wait.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path mappingsDir() {
        return Path.of(config.get("cpis.mappings.dir", "./mappings")).toAbsolutePath().normalize();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Without a tokens file the store answers only the engine itself; operators add tokens here. */
    private static Path emptyTokensFile(Path data) throws java.io.IOException {
        Path file = data.resolve("security").resolve("tokens.properties");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "# Flag-store bearer tokens: TOKEN=ROLE per line; ROLE is admin, lookup or council:<ODS>.\n"
                    + "# Set cpis.security.tokens-file to keep this file elsewhere. See docs/flag-store.md.\n");
        }
        return file;
    }

    private static String version() {
        String v = Engine.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    private void bindBeans(Main m) throws java.sql.SQLException {
        int maxBytes = config.getInt("cpis.mllp.max-message-size", 1024 * 1024);
        Duration window = config.getDuration("cpis.mllp.duplicate-window", Duration.ofDays(7));
        m.bind("jms", JmsComponent.jmsComponent(broker.connectionFactory()));
        m.bind("jms-batch", new BatchJmsComponent(broker.connectionFactory(), database.groupCommit()));
        m.bind("mllpIdle", MllpCodecs.idle(config.getDuration("cpis.mllp.idle-timeout", Duration.ofMinutes(5))));
        m.bind("mllpGuard", MllpCodecs.guard(config.getInt("cpis.mllp.max-connections", 64), mllpStats));
        m.bind("mllpDecoder", MllpCodecs.decoder(maxBytes, mllpStats));
        m.bind("mllpEncoder", new HL7MLLPNettyEncoderFactory());
        m.bind("mllpSsl", MllpTls.parameters(config));
        m.bind("adtIntake", new AdtIntake(versions(), Charset.forName(config.get("cpis.mllp.default-charset", "UTF-8")), maxBytes));
        m.bind("ackBuilder", new AckBuilder(config.get("cpis.mllp.ack-application", "CPIS-ENGINE"),
                config.get("cpis.mllp.ack-facility", "CPIS")));
        m.bind("rejectedMessages", new RejectedMessages(database.dataSource()));
        m.bind("diskSync", new DiskSync(database.dataSource()));
        ReceivedMessages received = new ReceivedMessages(database.dataSource(), database.groupCommit(), window);
        DuplicateGuard duplicates = new DuplicateGuard(received, () -> pipelineStats.count("intake.queued"));
        // Before intake opens, so a resend of anything received within the window is still known.
        int keys = duplicates.load();
        LOG.info("Duplicate check: {} message keys of the last {} hours loaded", keys, window.toHours());
        m.bind("duplicateGuard", duplicates);
        m.bind("receivedMessages", received);
        m.bind("stageRecorder", new StageRecorder(received, pipelineStats));
    }

    private Set<String> versions() {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(config.get("cpis.mllp.versions", "2.2,2.3,2.3.1,2.4,2.5,2.5.1,2.6,2.7,2.7.1,2.8").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    /** Routes from the routes folder on disk when it exists, else the defaults inside the jar. */
    private String routesPattern() {
        Path dir = Path.of(config.get("cpis.routes.dir", "./routes")).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            return "file:" + dir + "/*.camel.yaml";
        }
        return "classpath:routes/*.camel.yaml";
    }

    private boolean mllpListening() {
        if (main == null || main.getCamelContext() == null) {
            return false;
        }
        ServiceStatus s = main.getCamelContext().getRouteController().getRouteStatus("receive-adt");
        return s == ServiceStatus.Started;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public Database database() {
        return database;
    }

    public Broker broker() {
        return broker;
    }

    public HttpServer http() {
        return http;
    }

    public PipelineStats pipelineStats() {
        return pipelineStats;
    }

    /** What {@code /metrics} shows: the stages' counters and the group commit's (commits, and the writes they carried). */
    private Map<String, Long> counters() {
        Map<String, Long> out = pipelineStats.snapshot();
        out.put("db.commits", database.groupCommit().commits());
        out.put("db.writes", database.groupCommit().writes());
        return out;
    }

    public FlagStoreServer flagStore() {
        return flagStore;
    }

    public CouncilReceiverServlet councilReceiver() {
        return councilReceiver;
    }

    public MappingEngine mapping() {
        return mapping;
    }

    public MllpStats mllpStats() {
        return mllpStats;
    }

    public HealthServlet health() {
        return health;
    }

    public EngineConfig config() {
        return config;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
