package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.config.EngineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wiring the lead uses: configuration in, beans bound in Camel's registry, lookups over real HTTP. */
class LookupModuleIT {

    static FhirContext fhir;
    static TestFlagStore store;

    @BeforeAll
    static void start() throws Exception {
        fhir = FhirContext.forR4Cached();
        store = new TestFlagStore(fhir);
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    static EngineConfig config(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        p.setProperty("cpis.mappings.dir", "mappings");
        return EngineConfig.load(p, Map.of());
    }

    @Test
    void indexModeBindsBeansLoadsTheIndexAndLooksUp() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            LookupModule module = LookupModule.create(config("cpis.lookup.store.url", store.baseUrl(),
                    "cpis.lookup.cache", "index", "cpis.lookup.index.refresh-interval", "200ms"), camel,
                    Clock.systemUTC());
            try {
                assertThat(camel.getRegistry().lookupByName(LookupModule.LOOKUP_BEAN)).isSameAs(module.lookup());
                assertThat(camel.getRegistry().lookupByName(LookupModule.RECORDER_BEAN)).isSameAs(module.recorder());
                assertThat(camel.getRegistry().lookupByName(LookupModule.INDEX_BEAN)).isSameAs(module.index());
                assertThat(camel.getRegistry().lookupByName(LookupModule.CLIENT_BEAN)).isNotNull();
                module.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> module.index().freshAsOf() != null);
                assertThat(module.lookup().lookup("9434765919")).hasSize(1);
                assertThat(module.lookup().lookup("9449306753")).isEmpty();
                assertThat(module.lookup().cacheAnswers()).isEqualTo(1);
            } finally {
                module.close();
            }
        }
    }

    @Test
    void noneModeSearchesEveryTime() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            LookupModule module = LookupModule.create(config("cpis.lookup.store.url", store.baseUrl(),
                    "cpis.lookup.cache", "none"), camel, Clock.systemUTC());
            module.start();
            assertThat(module.index()).isNull();
            assertThat(module.lookup().lookup("9449306753")).isEmpty();
            assertThat(module.lookup().liveSearches()).isEqualTo(1);
            module.close();
        }
    }

    @Test
    void badSettingsNameTheKey() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            assertThatThrownBy(() -> LookupModule.create(config("cpis.lookup.cache", "sometimes"), camel,
                    Clock.systemUTC())).isInstanceOf(ConfigException.class).hasMessageContaining("cpis.lookup.cache");
            assertThatThrownBy(() -> LookupModule.create(config("cpis.lookup.store.auth", "bearer"), camel,
                    Clock.systemUTC())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cpis.lookup.store.bearer-token");
            assertThatThrownBy(() -> LookupModule.create(config("cpis.lookup.max-staleness", "1s",
                    "cpis.lookup.index.refresh-interval", "2s"), camel, Clock.systemUTC()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("refresh-interval");
            assertThatThrownBy(() -> LookupModule.create(config("cpis.lookup.store.url", "ftp://x"), camel,
                    Clock.systemUTC())).isInstanceOf(ConfigException.class).hasMessageContaining("cpis.lookup.store.url");
        }
    }

    @Test
    void defaultStoreIsTheEmbeddedOne() {
        assertThat(FlagStoreSettings.from(config("cpis.http.port", "18080")).baseUrl())
                .isEqualTo("http://localhost:18080/fhir");
    }

    @Test
    void shippedLookupYamlIsTheChainedForm() {
        LookupQueries q = LookupQueries.load(java.nio.file.Path.of("mappings"));
        assertThat(q.search()).isEqualTo(LookupQueries.CHAINED);
        assertThat(q.searchFor("9434765919")).contains("9434765919").doesNotContain("{nhs}");
        assertThat(q.indexIncremental()).contains("_lastUpdated=gt{since}");
    }
}
