package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload on a real folder with the real WatchService (inotify on Linux). */
class MappingsWatcherIT {

    private static final String MESSAGE = TestDialects.hl7(
            TestDialects.seg("MSH", 3, "ACME", 4, "RX1", 7, "202403100915", 9, "ADT^A04", 10, "W1", 12, "2.4"),
            TestDialects.seg("PID", 3, "9434765919^^^NHS^NH", 32, "NSTS01"),
            TestDialects.seg("PV1", 2, "E", 3, "ED^^^RX1CC"));

    @TempDir
    Path tmp;

    private MappingsWatcher watcher;

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private MappingEngine startWatching(Path mappings) throws Exception {
        MappingEngine engine = TestDialects.engine(mappings);
        watcher = new MappingsWatcher(engine, Duration.ofMillis(100));
        watcher.start();
        assertThat(watcher.isRunning()).isTrue();
        return engine;
    }

    @Test
    void aValidChangeIsAppliedWhileRunning() throws Exception {
        Path mappings = TestDialects.withDefault(tmp);
        TestDialects.write(mappings, "acme.yaml", "match: {sendingApplication: ACME}\n");
        MappingEngine engine = startWatching(mappings);
        assertThat(engine.map(MESSAGE).attendance().careSetting().siteOdsCode()).isEqualTo("RX1CC");

        TestDialects.write(mappings, "acme.yaml", """
                match: {sendingApplication: ACME}
                fields:
                  siteOdsCode:
                    - value: RX1ZZ
                """);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(engine.map(MESSAGE).attendance().careSetting().siteOdsCode())
                        .isEqualTo("RX1ZZ"));
        assertThat(watcher.lastErrors()).isEmpty();
    }

    @Test
    void anInvalidChangeIsRefusedAndTheOldMappingKeepsWorking() throws Exception {
        Path mappings = TestDialects.withDefault(tmp);
        TestDialects.write(mappings, "acme.yaml", "match: {sendingApplication: ACME}\nrules: {requireVerified: false}\n");
        MappingEngine engine = startWatching(mappings);
        DialectSet before = engine.dialects();

        Path file = TestDialects.write(mappings, "acme.yaml", """
                match: {sendingApplication: ACME}
                rules: {requireVerified: false}
                fields:
                  familyName:
                    - path: PID-5-1
                      apply: [shout]
                """);

        await().atMost(Duration.ofSeconds(20)).until(() -> !watcher.lastErrors().isEmpty());
        assertThat(watcher.lastErrors()).extracting(MappingError::toString)
                .containsExactly(file + ":6: unknown function 'shout' (known: trim, upper, lower, digitsOnly, "
                        + "nhsNumber, substring, replace, default, valueMap, date, datetime)");
        assertThat(engine.dialects()).isSameAs(before);
        MappingResult r = engine.map(MESSAGE);
        assertThat(r.dialect()).isEqualTo("acme");
        assertThat(r.attendance().nhsNumberStatus()).isEqualTo(NhsNumberStatus.VALID);

        // Fixing the file is picked up again: the watcher survived the refusal.
        TestDialects.write(mappings, "acme.yaml", "match: {sendingApplication: ACME}\nrules: {requireVerified: true}\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.dialects() != before);
        // The engine swaps the dialects inside reload(); the watcher records that reload's errors
        // only once it returns, so they may still be the refusal's for a moment.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(watcher.lastErrors()).isEmpty());
        assertThat(engine.dialects().byName("acme").rules().requireVerified()).isTrue();
    }

    @Test
    void closeStopsTheWatcherThread() throws Exception {
        startWatching(TestDialects.withDefault(tmp));
        watcher.close();
        assertThat(watcher.isRunning()).isFalse();
    }

    @Test
    void configuredFromEngineConfig() throws Exception {
        Path mappings = TestDialects.withDefault(tmp);
        java.util.Properties p = new java.util.Properties();
        p.setProperty("cpis.mappings.dir", mappings.toString());
        p.setProperty("cpis.mappings.reload-debounce", "50ms");
        org.cpis.engine.config.EngineConfig config = org.cpis.engine.config.EngineConfig.load(p, java.util.Map.of());
        MappingEngine engine = MappingEngine.fromConfig(config);
        assertThat(engine.source().dialectsDir()).isEqualTo(mappings.resolve("dialects"));
        watcher = MappingsWatcher.fromConfig(engine, config);
        watcher.start();
        assertThat(watcher.isRunning()).isTrue();

        p.setProperty("cpis.mappings.watch", "false");
        assertThat(MappingsWatcher.fromConfig(engine, org.cpis.engine.config.EngineConfig.load(p, java.util.Map.of())))
                .isNull();
    }

    @Test
    void mappingsFromTheJarAreNotWatched() throws Exception {
        MappingEngine engine = MappingEngine.load(MappingsSource.classpath());
        try (MappingsWatcher w = new MappingsWatcher(engine, Duration.ofMillis(100))) {
            w.start();
            assertThat(w.isRunning()).isFalse();
            assertThat(engine.dialects().byName("default")).isNotNull();
        }
    }
}
