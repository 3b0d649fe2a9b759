package org.cpis.engine.lookup;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.apache.camel.CamelContext;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.config.EngineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the lookup stage from the configuration and binds its beans in Camel's registry:
 * {@value #CLIENT_BEAN} (the HAPI client camel-fhir uses), {@value #LOOKUP_BEAN},
 * {@value #INDEX_BEAN} (only with {@code cpis.lookup.cache=index}) and {@value #RECORDER_BEAN}.
 * Call {@link #start()} once the flag store is reachable (the index loads in the background and
 * lookups search live until it has), {@link #close()} at shutdown.
 */
public final class LookupModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LookupModule.class);

    public static final String CLIENT_BEAN = "flagStoreClient";
    public static final String LOOKUP_BEAN = "flagLookup";
    public static final String INDEX_BEAN = "flagIndex";
    public static final String RECORDER_BEAN = "attendanceHistoryRecorder";

    private final FlagLookup lookup;
    private final FlaggedNumberIndex index;
    private final AttendanceHistoryRecorder recorder;

    private LookupModule(FlagLookup lookup, FlaggedNumberIndex index, AttendanceHistoryRecorder recorder) {
        this.lookup = lookup;
        this.index = index;
        this.recorder = recorder;
    }

    public static LookupModule create(EngineConfig config, CamelContext camel, Clock clock) {
        FlagStoreSettings store = FlagStoreSettings.from(config);
        IGenericClient client = FlagStoreClientFactory.create(store);
        camel.getRegistry().bind(CLIENT_BEAN, client);
        FlagStoreGateway gateway = new CamelFhirGateway(camel, CLIENT_BEAN);
        LookupQueries queries = LookupQueries.load(Path.of(config.get("cpis.mappings.dir", "./mappings")));
        VisibilityRules rules = new VisibilityRules(clock, zone(config),
                config.getDuration("cpis.lookup.window.ended-plan", Duration.ofDays(365)),
                config.getDuration("cpis.lookup.window.unborn-after-due", Duration.ofDays(28)));
        String cache = config.get("cpis.lookup.cache", "index");
        FlaggedNumberIndex index = switch (cache) {
            case "none" -> null;
            // The index syncs outside any route, and its first load runs before the routes start.
            case "index" -> new FlaggedNumberIndex(new ClientGateway(client), queries, clock,
                    config.getDuration("cpis.lookup.max-staleness", Duration.ofSeconds(5)),
                    config.getDuration("cpis.lookup.index.refresh-interval", Duration.ofSeconds(1)),
                    config.getDuration("cpis.lookup.index.overlap", Duration.ofSeconds(10)),
                    config.getDuration("cpis.lookup.index.full-resync-interval", Duration.ofHours(6)),
                    config.getInt("cpis.lookup.index.max-pages", 10_000));
            default -> throw new ConfigException("cpis.lookup.cache", "must be index or none, got '" + cache + "'");
        };
        FlagLookup lookup = new FlagLookup(gateway, queries, rules, index == null ? FlagPresenceCache.NONE : index,
                config.getInt("cpis.lookup.max-pages", 20));
        AttendanceHistoryRecorder recorder = new AttendanceHistoryRecorder(gateway);
        camel.getRegistry().bind(LOOKUP_BEAN, lookup);
        camel.getRegistry().bind(RECORDER_BEAN, recorder);
        if (index != null) {
            camel.getRegistry().bind(INDEX_BEAN, index);
        }
        LOG.info("Flag lookup: store {}, cache {}", store.baseUrl(), cache);
        return new LookupModule(lookup, index, recorder);
    }

    private static ZoneId zone(EngineConfig config) {
        String z = config.get("cpis.lookup.zone", "Europe/London");
        try {
            return ZoneId.of(z);
        } catch (RuntimeException e) {
            throw new ConfigException("cpis.lookup.zone", "must be a time zone id such as Europe/London, got '" + z + "'");
        }
    }

    public void start() {
        if (index != null) {
            index.start();
        }
    }

    /**
     * Waits, at most {@code wait}, for the index to load and settle. The engine calls this before
     * intake opens, so the first minutes after a start do not search the store for every child;
     * false (store down or slow) only means lookups search live until the index has loaded.
     */
    public boolean awaitIndex(Duration wait) throws InterruptedException {
        return index == null || index.awaitSteady(wait);
    }

    public FlagLookup lookup() {
        return lookup;
    }

    /** The index, or null with {@code cpis.lookup.cache=none}. */
    public FlaggedNumberIndex index() {
        return index;
    }

    public AttendanceHistoryRecorder recorder() {
        return recorder;
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
        }
    }
}
