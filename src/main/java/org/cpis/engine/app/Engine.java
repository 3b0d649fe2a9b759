package org.cpis.engine.app;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
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
import org.cpis.engine.http.HealthServlet;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.intake.AckBuilder;
import org.cpis.engine.intake.AdtIntake;
import org.cpis.engine.intake.DuplicateGuard;
import org.cpis.engine.intake.MllpCodecs;
import org.cpis.engine.intake.MllpStats;
import org.cpis.engine.intake.MllpTls;
import org.cpis.engine.intake.ProcessAdt;
import org.cpis.engine.intake.ReceivedMessages;
import org.cpis.engine.intake.RejectedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: database, durable queue, HTTP server and the Camel routes, started in that
 * order and stopped in reverse. {@code run} starts one; integration tests start one in-process.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final MllpStats mllpStats = new MllpStats();
    private Database database;
    private Broker broker;
    private HttpServer http;
    private Main main;
    private HealthServlet health;

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
        database = Database.open(config);
        started.push(database);
        broker = Broker.start(config);
        started.push(broker);

        http = new HttpServer(config.get("cpis.http.host", "0.0.0.0"), config.getInt("cpis.http.port", 8080),
                config.getInt("cpis.http.max-threads", 64));
        health = new HealthServlet()
                .check("database", database::isHealthy)
                .check("broker", broker::isHealthy)
                .check("mllp", this::mllpListening);
        http.mount("/health", health);
        http.start();
        started.push(http);

        main = new Main();
        main.configure().setName("cpis-engine");
        main.configure().setJmxEnabled(false);
        main.configure().setRoutesIncludePattern(routesPattern());
        // Override, not initial: Camel Main would otherwise let the defaults file win over -D and CPIS_* values.
        Properties props = config.resolved();
        // The netty consumer's ordered thread pool is a component setting, not an endpoint one.
        props.setProperty("camel.component.netty.maximumPoolSize", String.valueOf(config.getInt("cpis.mllp.worker-threads", 64)));
        main.setOverrideProperties(props);
        bindBeans(main);
        main.start();
        started.push(main::stop);
        LOG.info("cpis-engine started: MLLP port {}, HTTP port {}, data folder {}",
                config.getInt("cpis.mllp.port", 2575), http.port(), data);
    }

    private void bindBeans(Main m) {
        int maxBytes = config.getInt("cpis.mllp.max-message-size", 1024 * 1024);
        Duration window = config.getDuration("cpis.mllp.duplicate-window", Duration.ofDays(7));
        m.bind("jms", JmsComponent.jmsComponent(broker.connectionFactory()));
        m.bind("mllpIdle", MllpCodecs.idle(config.getDuration("cpis.mllp.idle-timeout", Duration.ofMinutes(5))));
        m.bind("mllpGuard", MllpCodecs.guard(config.getInt("cpis.mllp.max-connections", 64), mllpStats));
        m.bind("mllpDecoder", MllpCodecs.decoder(maxBytes, mllpStats));
        m.bind("mllpEncoder", new HL7MLLPNettyEncoderFactory());
        m.bind("mllpSsl", MllpTls.parameters(config));
        m.bind("adtIntake", new AdtIntake(versions(), Charset.forName(config.get("cpis.mllp.default-charset", "UTF-8")), maxBytes));
        m.bind("ackBuilder", new AckBuilder(config.get("cpis.mllp.ack-application", "CPIS-ENGINE"),
                config.get("cpis.mllp.ack-facility", "CPIS")));
        m.bind("rejectedMessages", new RejectedMessages(database.dataSource()));
        m.bind("duplicateGuard", new DuplicateGuard(database.dataSource(), window));
        ReceivedMessages received = new ReceivedMessages(database.dataSource(), window);
        m.bind("receivedMessages", received);
        m.bind("processAdt", new ProcessAdt(received));
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
