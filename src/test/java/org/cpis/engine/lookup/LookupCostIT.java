package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-lookup cost with and without the index, 99% unflagged like the bench workload, over real
 * HTTP to a real FHIR server on this machine. Prints the figures; asserts only what must hold
 * (the index spares the store every unflagged search).
 */
class LookupCostIT {
    private static final Logger LOG = LoggerFactory.getLogger(LookupCostIT.class);

    static List<String> validNumbers(int count) {
        List<String> out = new ArrayList<>();
        for (long n = 999_100_000L; out.size() < count; n++) {
            String s = Long.toString(n);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (s.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                out.add(s + check);
            }
        }
        return out;
    }

    @Test
    void indexSparesTheStoreTheUnflaggedSearches() throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        List<String> numbers = validNumbers(600);
        try (TestFlagStore store = new TestFlagStore(fhir); DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // 1% flagged.
            for (int i = 0; i < numbers.size(); i += 100) {
                store.activeFlag(numbers.get(i), FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
            }
            camel.getRegistry().bind("costClient", FlagStoreClientFactory.create(FlagStoreSettings.plain(store.baseUrl())));
            CamelFhirGateway gateway = new CamelFhirGateway(camel, "costClient");
            FlagLookup none = new FlagLookup(gateway, LookupQueries.defaults(), VisibilityRules.defaults(Clock.systemUTC()),
                    FlagPresenceCache.NONE, 20);
            FlaggedNumberIndex index = new FlaggedNumberIndex(gateway, LookupQueries.defaults(), Clock.systemUTC(),
                    // A long staleness bound: this measures cost, and a loaded machine must not turn a
                    // late refresh into extra live searches here (FlaggedNumberIndexIT tests the bound).
                    Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(6), 1000);
            index.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> index.freshAsOf() != null);
            FlagLookup indexed = new FlagLookup(gateway, LookupQueries.defaults(), VisibilityRules.defaults(Clock.systemUTC()),
                    index, 20);
            try {
                run(none, numbers.subList(0, 100)); // warm-up
                run(indexed, numbers.subList(0, 100));
                long noneNs = run(none, numbers);
                // Per-patient searches only: the index's own background sync may land in this window.
                int searchesBefore = store.patientSearches.get();
                long indexNs = run(indexed, numbers);
                int searches = store.patientSearches.get() - searchesBefore;
                LOG.info("LOOKUP COST cache=none: {} us/lookup; cache=index: {} us/lookup; store searches with index: {} of {}",
                        noneNs / numbers.size() / 1000, indexNs / numbers.size() / 1000.0, searches, numbers.size());
                System.out.printf("LOOKUP COST cache=none %.1f us/lookup, cache=index %.2f us/lookup, searches %d/%d%n",
                        noneNs / numbers.size() / 1000.0, indexNs / numbers.size() / 1000.0, searches, numbers.size());
                List<String> unflagged = new ArrayList<>();
                for (int i = 0; i < numbers.size(); i++) {
                    if (i % 100 != 0) {
                        unflagged.add(numbers.get(i));
                    }
                }
                int hits = 0;
                for (int round = 0; round < 50; round++) { // warm the JIT
                    for (String n : unflagged) {
                        hits += indexed.lookup(n).size();
                    }
                }
                long t0 = System.nanoTime();
                for (int round = 0; round < 200; round++) {
                    for (String n : unflagged) {
                        hits += indexed.lookup(n).size();
                    }
                }
                long unflaggedNs = (System.nanoTime() - t0) / (200L * unflagged.size());
                assertThat(hits).isZero();
                System.out.printf("LOOKUP COST unflagged answered by the index: %d ns/lookup%n", unflaggedNs);
                assertThat(searches).as("only the flagged 1% are searched").isEqualTo(numbers.size() / 100);
                assertThat(indexNs).isLessThan(noneNs);
            } finally {
                index.close();
            }
        }
    }

    private static long run(FlagLookup l, List<String> numbers) {
        long t0 = System.nanoTime();
        int found = 0;
        for (String n : numbers) {
            found += l.lookup(n).size();
        }
        assertThat(found).isEqualTo((numbers.size() + 99) / 100);
        return System.nanoTime() - t0;
    }
}
