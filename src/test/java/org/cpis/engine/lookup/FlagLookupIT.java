package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.cpis.engine.lookup.FlagLookupException.Reason;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lookup over real HTTP: camel-fhir against a real HAPI RestfulServer on the engine's Jetty. */
class FlagLookupIT {

    /** "Today" for every test here: 2026-06-15 in Europe/London. */
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-15T11:00:00Z"));

    static FhirContext fhir;
    static TestFlagStore store;
    static DefaultCamelContext camel;

    @BeforeAll
    static void start() throws Exception {
        fhir = FhirContext.forR4Cached();
        store = new TestFlagStore(fhir);
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.stop();
        store.close();
    }

    static FlagLookup lookup(FlagStoreSettings settings, LookupQueries queries, String bean) {
        camel.getRegistry().bind(bean, FlagStoreClientFactory.create(settings));
        return new FlagLookup(new CamelFhirGateway(camel, bean), queries,
                new VisibilityRules(CLOCK, ZoneId.of("Europe/London"), Duration.ofDays(365), Duration.ofDays(28)),
                FlagPresenceCache.NONE, 20);
    }

    static FlagLookup plain() {
        return lookup(FlagStoreSettings.plain(store.baseUrl()), LookupQueries.defaults(), "plainClient");
    }

    @Test
    void flaggedChildIsFoundWithKindCouncilAndResources() {
        store.addFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.ACTIVE, TODAY.minusDays(200), null,
                "TSTC1", null);
        List<FlagMatch> m = plain().lookup(TestAttendances.arrival("9434765919", "V1", "C1"));
        assertThat(m).hasSize(1);
        FlagMatch match = m.get(0);
        assertThat(match.kind()).isEqualTo(FlagKind.CHILD_PROTECTION_PLAN);
        assertThat(match.councilOds()).isEqualTo("TSTC1");
        assertThat(match.councilName()).isEqualTo("Council TSTC1");
        assertThat(match.flagId()).startsWith("Flag/");
        assertThat(match.flag()).isNotNull();
        assertThat(match.council()).as("author Organization included").isNotNull();
        assertThat(store.queries).anyMatch(q -> q.contains("patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"));
    }

    @Test
    void unflaggedChildHasNoMatch() {
        assertThat(plain().lookup("9449306753")).isEmpty();
    }

    @Test
    void attendanceWithoutAVerifiedNumberIsNotSearched() {
        int before = store.flagSearches.get();
        assertThat(plain().lookup(TestAttendances.of("9434765919", NhsNumberStatus.UNVERIFIED, "A04",
                EventKind.ARRIVAL, "V1", "C2"))).isEmpty();
        assertThat(store.flagSearches.get()).isEqualTo(before);
    }

    @Test
    void lookedAfterChildOfAnotherCouncil() {
        store.activeFlag("9990000018", FlagKind.LOOKED_AFTER_CHILD, "TSTC2");
        assertThat(plain().lookup("9990000018")).singleElement()
                .satisfies(x -> assertThat(x.kind()).isEqualTo(FlagKind.LOOKED_AFTER_CHILD))
                .satisfies(x -> assertThat(x.councilOds()).isEqualTo("TSTC2"));
    }

    @Test
    void planEndedInsideTheYearIsVisibleOutsideIsNot() {
        store.addFlag("9990000026", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.INACTIVE, TODAY.minusDays(900),
                TODAY.minusDays(100), "TSTC1", null);
        store.addFlag("9990000034", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.INACTIVE, TODAY.minusDays(900),
                TODAY.minusDays(400), "TSTC1", null);
        store.addFlag("9990000069", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.INACTIVE, TODAY.minusDays(900),
                TODAY.minusDays(365), "TSTC1", null);
        store.addFlag("9990000077", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.INACTIVE, TODAY.minusDays(900),
                TODAY.minusDays(366), "TSTC1", null);
        FlagLookup l = plain();
        assertThat(l.lookup("9990000026")).hasSize(1);
        assertThat(l.lookup("9990000034")).isEmpty();
        assertThat(l.lookup("9990000069")).as("ended 365 days ago").hasSize(1);
        assertThat(l.lookup("9990000077")).as("ended 366 days ago").isEmpty();
    }

    @Test
    void activePlanWithAFutureStartIsNotYetVisible() {
        store.addFlag("9990000212", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.ACTIVE, TODAY.plusDays(3), null,
                "TSTC1", null);
        assertThat(plain().lookup("9990000212")).isEmpty();
    }

    @Test
    void unbornFlagIsVisibleUntil28DaysAfterTheDueDate() {
        store.addFlag("9449305552", FlagKind.UNBORN_CHILD_PROTECTION_PLAN, Flag.FlagStatus.ACTIVE, TODAY.minusDays(90),
                null, "TSTC2", TODAY.minusDays(28));
        store.addFlag("9990000085", FlagKind.UNBORN_CHILD_PROTECTION_PLAN, Flag.FlagStatus.ACTIVE, TODAY.minusDays(90),
                null, "TSTC2", TODAY.minusDays(29));
        FlagLookup l = plain();
        assertThat(l.lookup("9449305552")).singleElement()
                .satisfies(x -> assertThat(x.kind()).isEqualTo(FlagKind.UNBORN_CHILD_PROTECTION_PLAN));
        assertThat(l.lookup("9990000085")).as("due + 29").isEmpty();
    }

    @Test
    void enteredInErrorInactiveWithoutEndAndForeignCodesAreIgnored() {
        store.addFlag("9990000093", FlagKind.CHILD_PROTECTION_PLAN, Flag.FlagStatus.ENTEREDINERROR, TODAY.minusDays(5),
                null, "TSTC1", null);
        store.addFlag("9990000093", FlagKind.LOOKED_AFTER_CHILD, Flag.FlagStatus.INACTIVE, TODAY.minusDays(5), null,
                "TSTC1", null);
        Flag other = store.activeFlag("9990000093", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        other.getCode().getCodingFirstRep().setCode("123456789");
        assertThat(plain().lookup("9990000093")).isEmpty();
    }

    @Test
    void bothQueryFormsFindTheSameFlag() {
        store.activeFlag("9990000107", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlagLookup chained = lookup(FlagStoreSettings.plain(store.baseUrl()),
                new LookupQueries(LookupQueries.CHAINED, null, null), "chainedClient");
        FlagLookup modifier = lookup(FlagStoreSettings.plain(store.baseUrl()),
                new LookupQueries(LookupQueries.MODIFIER, null, null), "modifierClient");
        assertThat(chained.lookup("9990000107")).singleElement().extracting(FlagMatch::councilOds).isEqualTo("TSTC1");
        assertThat(modifier.lookup("9990000107")).singleElement().extracting(FlagMatch::councilOds).isEqualTo("TSTC1");
        assertThat(store.queries).anyMatch(q -> q.contains("patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9990000107"));
    }

    @Test
    void followsPagingLinks() {
        for (int i = 0; i < 5; i++) {
            store.activeFlag("9990000115", i % 2 == 0 ? FlagKind.CHILD_PROTECTION_PLAN : FlagKind.LOOKED_AFTER_CHILD,
                    "TSTC1");
        }
        int before = store.requests.get();
        FlagLookup l = lookup(FlagStoreSettings.plain(store.baseUrl()),
                new LookupQueries(LookupQueries.CHAINED + "&_count=2", null, null), "pagingClient");
        assertThat(l.lookup("9990000115")).hasSize(5);
        assertThat(store.requests.get() - before).as("three pages of two").isEqualTo(3);
    }

    @Test
    void tooManyPagesIsAnErrorNotAPartialAnswer() {
        for (int i = 0; i < 3; i++) {
            store.activeFlag("9990000123", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        }
        camel.getRegistry().bind("cappedClient", FlagStoreClientFactory.create(FlagStoreSettings.plain(store.baseUrl())));
        FlagLookup l = new FlagLookup(new CamelFhirGateway(camel, "cappedClient"),
                new LookupQueries(LookupQueries.CHAINED + "&_count=1", null, null), VisibilityRules.defaults(CLOCK),
                FlagPresenceCache.NONE, 2);
        assertThatThrownBy(() -> l.lookup("9990000123")).isInstanceOf(FlagLookupException.class)
                .hasMessageNotContaining("9990000123");
    }

    @Test
    void bearerAndBasicCredentialsAreSent() {
        store.activeFlag("9990000131", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        try {
            store.requiredAuthorization = "Bearer s3cret-token";
            FlagLookup bearer = lookup(FlagStoreSettings.plain(store.baseUrl()).withBearer("s3cret-token"),
                    LookupQueries.defaults(), "bearerClient");
            assertThat(bearer.lookup("9990000131")).hasSize(1);

            String basic = "Basic " + Base64.getEncoder().encodeToString("engine:pw".getBytes());
            store.requiredAuthorization = basic;
            FlagLookup basicLookup = lookup(FlagStoreSettings.plain(store.baseUrl()).withBasic("engine", "pw"),
                    LookupQueries.defaults(), "basicClient");
            assertThat(basicLookup.lookup("9990000131")).hasSize(1);
            assertThat(store.authorizations).contains("Bearer s3cret-token", basic);

            FlagLookup wrong = lookup(FlagStoreSettings.plain(store.baseUrl()).withBearer("wrong"),
                    LookupQueries.defaults(), "wrongClient");
            assertThatThrownBy(() -> wrong.lookup("9990000131")).isInstanceOfSatisfying(FlagLookupException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.AUTH_REJECTED);
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.needsOperator()).isTrue();
                assertThat(e.isRetryable()).isTrue();
            });
        } finally {
            store.requiredAuthorization = null;
        }
    }

    @Test
    void storeAnswering503IsARetryableServerError() {
        try {
            store.failWithStatus = 503;
            assertThatThrownBy(() -> plain().lookup("9434765919")).isInstanceOfSatisfying(FlagLookupException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
                assertThat(e.httpStatus()).isEqualTo(503);
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.getMessage()).doesNotContain("9434765919").doesNotContain("943****919");
                assertThat(e.getCause()).isNull();
            });
        } finally {
            store.failWithStatus = 0;
        }
    }

    @Test
    void storeDownIsARetryableUnreachableError() throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        FlagLookup down = lookup(FlagStoreSettings.plain("http://127.0.0.1:" + deadPort + "/fhir")
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1)), LookupQueries.defaults(), "downClient");
        assertThatThrownBy(() -> down.lookup("9434765919")).isInstanceOfSatisfying(FlagLookupException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).doesNotContain("9434765919");
            assertThat(e.getCause()).isNull();
        });
    }

    @Test
    void concurrentLookupsShareOneClientSafely() throws Exception {
        store.activeFlag("9990000158", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
        FlagLookup l = plain();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String nhs = i % 2 == 0 ? "9990000158" : "9449306753";
                fs.add(pool.submit(() -> l.lookup(nhs).size()));
            }
            for (int i = 0; i < fs.size(); i++) {
                assertThat(fs.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(i % 2 == 0 ? 1 : 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
