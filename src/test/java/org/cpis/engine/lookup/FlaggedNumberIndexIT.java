package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cpis.lookup.cache=index over real HTTP: skips the store for unflagged numbers, never hides a new flag for long. */
class FlaggedNumberIndexIT {

    static final Duration MAX_STALENESS = Duration.ofSeconds(1);

    static FhirContext fhir;
    static DefaultCamelContext camel;
    static final AtomicInteger beans = new AtomicInteger();
    TestFlagStore store;
    FlagStoreGateway gateway;
    FlaggedNumberIndex index;

    @BeforeAll
    static void startCamel() throws Exception {
        fhir = FhirContext.forR4Cached();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @BeforeEach
    void startStore() throws Exception {
        store = new TestFlagStore(fhir);
        String bean = "indexClient" + beans.incrementAndGet();
        camel.getRegistry().bind(bean, FlagStoreClientFactory.create(FlagStoreSettings.plain(store.baseUrl()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))));
        gateway = new CamelFhirGateway(camel, bean);
    }

    @AfterEach
    void stopStore() throws Exception {
        if (index != null) {
            index.close();
        }
        store.close();
    }

    FlaggedNumberIndex index(Clock clock) {
        index = new FlaggedNumberIndex(gateway, LookupQueries.defaults(), clock, MAX_STALENESS, Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofHours(6), 1000);
        return index;
    }

    FlagLookup lookup(Clock clock, FlagPresenceCache cache) {
        return new FlagLookup(gateway, LookupQueries.defaults(), VisibilityRules.defaults(clock), cache, 20);
    }

    @Test
    void freshIndexAnswersUnflaggedWithoutAskingTheStore() {
        MutableClock clock = new MutableClock(Instant.now());
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        FlagLookup l = lookup(clock, idx);
        int before = store.flagSearches.get();
        assertThat(l.lookup("9449306753")).isEmpty();
        assertThat(l.lookup("9990000050")).isEmpty();
        assertThat(store.flagSearches.get()).as("no search for unflagged numbers").isEqualTo(before);
        assertThat(l.cacheAnswers()).isEqualTo(2);
        assertThat(idx.size()).isEqualTo(1);
    }

    @Test
    void aNumberInTheIndexIsAlwaysSearchedLiveSoStatusIsCurrent() {
        MutableClock clock = new MutableClock(Instant.now());
        Flag f = store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        FlagLookup l = lookup(clock, idx);
        assertThat(l.lookup("9434765919")).hasSize(1);
        f.setStatus(Flag.FlagStatus.ENTEREDINERROR);
        int before = store.flagSearches.get();
        assertThat(l.lookup("9434765919")).as("withdrawn flag no longer matches, no waiting").isEmpty();
        assertThat(store.flagSearches.get()).isEqualTo(before + 1);
    }

    @Test
    void newFlagIsSeenWithinTheStalenessBound() {
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(Clock.systemUTC());
        idx.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> idx.freshAsOf() != null);
        FlagLookup l = lookup(Clock.systemUTC(), idx);
        assertThat(l.lookup("9990000018")).isEmpty();

        long created = System.nanoTime();
        store.activeFlag("9990000018", FlagKind.LOOKED_AFTER_CHILD, "TSTC2");
        // The bound is on the knowledge, not on response time (this machine may be slow): a lookup
        // that starts once the flag is older than max-staleness must find it. The wait itself is generous.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            long started = System.nanoTime();
            boolean found = !l.lookup("9990000018").isEmpty();
            if (!found) {
                assertThat(Duration.ofNanos(started - created)).as("a 'no flag' answer for a flag this old")
                        .isLessThan(MAX_STALENESS);
            }
            return found;
        });
        // With a mark to sync from, the background refresh is incremental.
        await().atMost(Duration.ofSeconds(30)).until(() -> store.queries.stream().anyMatch(q -> q.contains("_lastUpdated=gt")));
        assertThat(idx.size()).isEqualTo(2);
    }

    @Test
    void staleIndexFallsBackToLiveSearch() {
        MutableClock clock = new MutableClock(Instant.now());
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        FlagLookup l = lookup(clock, idx);
        store.activeFlag("9990000026", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");

        // Within the bound the index may still say "no flag" (this is the staleness it is allowed).
        assertThat(l.lookup("9990000026")).isEmpty();
        assertThat(l.liveSearches()).isZero();

        // No sync since (the refresh stopped, or the store is failing): past the bound it must ask the store.
        clock.advance(MAX_STALENESS.plusMillis(1));
        assertThat(l.lookup("9990000026")).hasSize(1);
        assertThat(l.liveSearches()).isEqualTo(1);
        assertThat(idx.knownUnflagged("9449306753")).as("stale for every number").isFalse();
    }

    @Test
    void incrementalSyncAddsNewFlagsAndRefreshesFreshness() {
        MutableClock clock = new MutableClock(Instant.now());
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        clock.advance(Duration.ofSeconds(3));
        store.activeFlag("9449305552", FlagKind.UNBORN_CHILD_PROTECTION_PLAN, "TSTC2");
        idx.refresh();
        assertThat(idx.size()).isEqualTo(2);
        assertThat(idx.freshAsOf()).isEqualTo(clock.instant());
        assertThat(idx.knownUnflagged("9449305552")).isFalse();
        assertThat(idx.knownUnflagged("9449306753")).isTrue();
        assertThat(store.queries).anyMatch(q -> q.contains("_lastUpdated=gt"));
    }

    @Test
    void overlapIsReadAgainOnlyUntilItHasSettled() {
        MutableClock clock = new MutableClock(Instant.now());
        Flag first = store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        Instant mark = first.getMeta().getLastUpdated().toInstant();
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        // A transaction stamped 2 s before the mark that commits only after the full load.
        Flag late = store.activeFlag("9449305552", FlagKind.UNBORN_CHILD_PROTECTION_PLAN, "TSTC2");
        late.getMeta().setLastUpdated(java.util.Date.from(mark.minusSeconds(2)));
        idx.refresh();
        assertThat(idx.size()).as("the late commit is found by the overlap").isEqualTo(2);
        assertThat(store.queries.get(store.queries.size() - 1)).contains("gt" + DateTimeFormatter.ISO_INSTANT.format(mark.minusSeconds(10)));

        clock.advance(Duration.ofSeconds(11));
        idx.refresh(); // started an overlap after the mark was seen: the overlap is now settled
        idx.refresh();
        assertThat(store.queries.get(store.queries.size() - 1)).as("no more re-reading of the overlap")
                .contains("gt" + DateTimeFormatter.ISO_INSTANT.format(mark));

        // A newer flag moves the mark, and the overlap behind it is read again.
        Flag newer = store.activeFlag("9449306753", FlagKind.LOOKED_AFTER_CHILD, "TSTC1");
        newer.getMeta().setLastUpdated(java.util.Date.from(mark.plusSeconds(5)));
        idx.refresh();
        assertThat(idx.knownUnflagged("9449306753")).isFalse();
        idx.refresh();
        assertThat(store.queries.get(store.queries.size() - 1)).contains("gt" + DateTimeFormatter.ISO_INSTANT.format(mark.minusSeconds(5)));
    }

    @Test
    void aSmallStoreIsSteadyAsSoonAsItIsLoaded() throws Exception {
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(new MutableClock(Instant.now()));
        assertThat(idx.awaitSteady(Duration.ZERO)).as("not loaded yet").isFalse();
        idx.fullResync();
        assertThat(idx.awaitSteady(Duration.ZERO)).isTrue();
    }

    @Test
    void aBulkLoadIsSteadyOnceItsOverlapFitsOnePageOrHasPassed() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        List.of("9990000018", "9990000026", "9990000034", "9990000042", "9990000069")
                .forEach(n -> store.activeFlag(n, FlagKind.CHILD_PROTECTION_PLAN, "TSTC1"));
        index = new FlaggedNumberIndex(gateway, new LookupQueries(LookupQueries.CHAINED,
                "Flag?_include=Flag:subject&_count=2", "Flag?_lastUpdated=gt{since}&_include=Flag:subject&_count=2"),
                clock, MAX_STALENESS, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofHours(6), 1000);
        index.fullResync();
        index.refresh(); // all five were stamped within the overlap: three pages again
        assertThat(index.awaitSteady(Duration.ZERO)).as("still re-reading the overlap").isFalse();
        clock.advance(Duration.ofSeconds(10));
        index.refresh();
        assertThat(index.awaitSteady(Duration.ZERO)).as("an overlap after the load").isTrue();
    }

    @Test
    void failedSyncLeavesTheIndexAgingIntoLiveSearch() {
        MutableClock clock = new MutableClock(Instant.now());
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        Instant fresh = idx.freshAsOf();
        clock.advance(Duration.ofMillis(600));
        store.failWithStatus = 503;
        assertThatThrownBy(idx::refresh).isInstanceOf(FlagLookupException.class);
        assertThat(idx.freshAsOf()).isEqualTo(fresh);
        clock.advance(Duration.ofMillis(600));
        assertThat(idx.knownUnflagged("9449306753")).isFalse();
    }

    @Test
    void anErrorInOneSyncDoesNotEndTheSchedule() throws Exception {
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        AtomicInteger calls = new AtomicInteger();
        // A real store cannot throw an Error; this one does on the first search, then delegates.
        FlagStoreGateway once = new FlagStoreGateway() {
            @Override
            public Bundle search(String relativeUrl) {
                if (calls.getAndIncrement() == 0) {
                    throw new NoClassDefFoundError("org/example/Missing");
                }
                return gateway.search(relativeUrl);
            }

            @Override
            public Bundle nextPage(Bundle bundle) {
                return gateway.nextPage(bundle);
            }

            @Override
            public MethodOutcome createIfNoneExist(IBaseResource resource, String ifNoneExist) {
                return gateway.createIfNoneExist(resource, ifNoneExist);
            }
        };
        index = new FlaggedNumberIndex(once, LookupQueries.defaults(), Clock.systemUTC(), MAX_STALENESS, Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofHours(6), 1000);
        index.start();
        assertThat(index.awaitSteady(Duration.ofSeconds(20))).as("synced after the failed first attempt").isTrue();
        assertThat(calls.get()).isGreaterThan(1);
        assertThat(index.mayBeFlagged("9434765919")).isTrue();
    }

    @Test
    void logicalSubjectReferencesAreIndexedToo() {
        store.logicalSubjects = true;
        store.activeFlag("9990000042", FlagKind.CHILD_PROTECTION_PLAN, "TSTC9");
        MutableClock clock = new MutableClock(Instant.now());
        FlaggedNumberIndex idx = index(clock);
        idx.fullResync();
        assertThat(idx.knownUnflagged("9990000042")).isFalse();
        assertThat(idx.knownUnflagged("9990000050")).isTrue();
    }

    @Test
    void indexOnAStoreThatCannotNameTheSubjectRefusesToBeUsed() {
        MutableClock clock = new MutableClock(Instant.now());
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        index = new FlaggedNumberIndex(gateway, new LookupQueries(LookupQueries.CHAINED, "Flag?_count=100",
                "Flag?_lastUpdated=gt{since}"), clock, MAX_STALENESS, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofHours(6), 1000);
        assertThatThrownBy(index::fullResync).isInstanceOf(FlagLookupException.class).hasMessageContaining("subject");
        assertThat(index.knownUnflagged("9434765919")).isFalse();
        assertThat(index.knownUnflagged("9449306753")).isFalse();
    }

    @Test
    void pagedFullLoad() {
        MutableClock clock = new MutableClock(Instant.now());
        List<String> numbers = List.of("9990000018", "9990000026", "9990000034", "9990000042", "9990000069");
        numbers.forEach(n -> store.activeFlag(n, FlagKind.CHILD_PROTECTION_PLAN, "TSTC1"));
        index = new FlaggedNumberIndex(gateway, new LookupQueries(LookupQueries.CHAINED,
                "Flag?_include=Flag:subject&_count=2", "Flag?_lastUpdated=gt{since}&_include=Flag:subject&_count=2"),
                clock, MAX_STALENESS, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofHours(6), 1000);
        index.fullResync();
        assertThat(index.size()).isEqualTo(5);
    }
}
