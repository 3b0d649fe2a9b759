package org.cpis.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.cpis.engine.lookup.FlagKind;
import org.cpis.engine.lookup.FlagMatch;
import org.cpis.engine.lookup.MutableClock;
import org.cpis.engine.lookup.TestAttendances;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision rules of issue 5 §2, run against a real database by each subclass. */
abstract class NotificationDeciderContract {

    static final String CHILD = "9434765919";
    static final FlagMatch CPP = match("Flag/1", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");
    static final FlagMatch LAC = match("Flag/2", FlagKind.LOOKED_AFTER_CHILD, "TSTC2");

    NotificationDecider decider;
    /** Each test uses its own visit numbers, so the shared database needs no cleaning. */
    String visit;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        decider = new NotificationDecider(dataSource(), new MutableClock(Instant.parse("2026-06-15T10:31:00Z")));
        visit = "V-" + UUID.randomUUID();
    }

    static FlagMatch match(String id, FlagKind kind, String ods) {
        Flag f = new Flag();
        f.setId(id);
        return new FlagMatch(id, kind, ods, "Council " + ods, f, null);
    }

    static Attendance event(String trigger, EventKind kind, String visit, String controlId) {
        return TestAttendances.of(CHILD, NhsNumberStatus.VALID, trigger, kind, visit, controlId);
    }

    @Test
    void firstEventOfAVisitNotifiesAndLaterUpdatesDoNot() {
        List<NotificationDecision> first = decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP));
        assertThat(first).singleElement().satisfies(d -> {
            assertThat(d.event()).isEqualTo(NotificationEvent.NOTIFY);
            assertThat(d.councilOds()).isEqualTo("TSTC1");
            assertThat(d.flag()).isSameAs(CPP);
            assertThat(d.generation()).isEqualTo(1);
            assertThat(d.cancelsNotificationId()).isNull();
        });
        assertThat(decider.decide(event("A08", EventKind.UPDATE, visit, "C2"), List.of(CPP))).isEmpty();
        assertThat(decider.decide(event("A01", EventKind.ADMISSION, visit, "C3"), List.of(CPP))).isEmpty();
        assertThat(decider.decide(event("A03", EventKind.DISCHARGE, visit, "C4"), List.of(CPP))).isEmpty();
    }

    @Test
    void anA08ThatFirstBringsAVerifiedNumberNotifies() {
        Attendance unverified = TestAttendances.of(CHILD, NhsNumberStatus.UNVERIFIED, "A04", EventKind.ARRIVAL, visit, "C1");
        // Unverified: no lookup, so no matches.
        assertThat(decider.decide(unverified, List.of())).isEmpty();
        assertThat(decider.decide(event("A08", EventKind.UPDATE, visit, "C2"), List.of(CPP)))
                .singleElement().extracting(NotificationDecision::event).isEqualTo(NotificationEvent.NOTIFY);
        assertThat(decider.decide(event("A08", EventKind.UPDATE, visit, "C3"), List.of(CPP))).isEmpty();
    }

    @Test
    void redeliveryOfTheSameMessageGetsTheSameDecisionBack() {
        Attendance a04 = event("A04", EventKind.ARRIVAL, visit, "C1");
        UUID id = decider.decide(a04, List.of(CPP)).get(0).notificationId();
        assertThat(decider.decide(a04, List.of(CPP))).singleElement()
                .satisfies(d -> assertThat(d.notificationId()).isEqualTo(id));
        // And the id is a pure function of attendance, flag and event: a new decider instance agrees.
        assertThat(new NotificationDecider(dataSource(), java.time.Clock.systemUTC()).decide(a04, List.of(CPP)))
                .singleElement().satisfies(d -> assertThat(d.notificationId()).isEqualTo(id));
    }

    @Test
    void differentVisitsGetDifferentIds() {
        UUID a = decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP)).get(0).notificationId();
        UUID b = decider.decide(event("A04", EventKind.ARRIVAL, visit + "b", "C2"), List.of(CPP)).get(0).notificationId();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void cancelAfterANotificationSendsACancellationOnce() {
        UUID notified = decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP)).get(0).notificationId();
        Attendance a11 = event("A11", EventKind.CANCEL, visit, "C2");
        List<NotificationDecision> cancel = decider.decide(a11, List.of(CPP));
        assertThat(cancel).singleElement().satisfies(d -> {
            assertThat(d.event()).isEqualTo(NotificationEvent.CANCEL);
            assertThat(d.cancelsNotificationId()).isEqualTo(notified);
            assertThat(d.notificationId()).isNotEqualTo(notified);
            assertThat(d.councilOds()).isEqualTo("TSTC1");
        });
        assertThat(decider.decide(a11, List.of(CPP))).as("redelivered A11").singleElement()
                .satisfies(d -> assertThat(d.notificationId()).isEqualTo(cancel.get(0).notificationId()));
        assertThat(decider.decide(event("A11", EventKind.CANCEL, visit, "C3"), List.of(CPP))).as("second A11").isEmpty();
    }

    @Test
    void cancelNeedsNoCurrentMatchAndKeepsTheFlagIdentity() {
        decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP));
        assertThat(decider.decide(event("A11", EventKind.CANCEL, visit, "C2"), List.of())).singleElement()
                .satisfies(d -> {
                    assertThat(d.flag().flagId()).isEqualTo("Flag/1");
                    assertThat(d.flag().kind()).isEqualTo(FlagKind.CHILD_PROTECTION_PLAN);
                    assertThat(d.flag().councilOds()).isEqualTo("TSTC1");
                    assertThat(d.flag().flag()).isNull();
                });
    }

    @Test
    void cancelWithoutAnEarlierNotificationSendsNothing() {
        assertThat(decider.decide(event("A11", EventKind.CANCEL, visit, "C1"), List.of(CPP))).isEmpty();
    }

    @Test
    void cancelDischargeIsNotACancellationOfTheAttendance() {
        decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP));
        assertThat(decider.decide(event("A13", EventKind.CANCEL, visit, "C2"), List.of(CPP))).isEmpty();
        // The attendance still stands: a later A11 is what cancels it.
        assertThat(decider.decide(event("A11", EventKind.CANCEL, visit, "C3"), List.of(CPP))).hasSize(1);
    }

    @Test
    void cancelDischargeOfAnUnnotifiedFlaggedVisitNotifies() {
        assertThat(decider.decide(event("A13", EventKind.CANCEL, visit, "C1"), List.of(CPP)))
                .singleElement().extracting(NotificationDecision::event).isEqualTo(NotificationEvent.NOTIFY);
    }

    @Test
    void aVisitRegisteredAgainAfterACancelIsNotifiedAgain() {
        UUID first = decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP)).get(0).notificationId();
        decider.decide(event("A11", EventKind.CANCEL, visit, "C2"), List.of(CPP));
        assertThat(decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP)))
                .as("the original A04 redelivered after the cancel").isEmpty();
        assertThat(decider.decide(event("A04", EventKind.ARRIVAL, visit, "C3"), List.of(CPP))).singleElement()
                .satisfies(d -> {
                    assertThat(d.event()).isEqualTo(NotificationEvent.NOTIFY);
                    assertThat(d.generation()).isEqualTo(2);
                    assertThat(d.notificationId()).isNotEqualTo(first);
                });
    }

    @Test
    void eachFlagIsNotifiedAndCancelledSeparately() {
        List<NotificationDecision> n = decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP, LAC));
        assertThat(n).extracting(NotificationDecision::councilOds).containsExactly("TSTC1", "TSTC2");
        assertThat(n.get(0).notificationId()).isNotEqualTo(n.get(1).notificationId());
        assertThat(decider.decide(event("A11", EventKind.CANCEL, visit, "C2"), List.of()))
                .extracting(NotificationDecision::event).containsExactly(NotificationEvent.CANCEL, NotificationEvent.CANCEL);
    }

    @Test
    void aNewFlagOnAnAlreadyNotifiedVisitIsNotified() {
        decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP));
        assertThat(decider.decide(event("A08", EventKind.UPDATE, visit, "C2"), List.of(CPP, LAC)))
                .singleElement().extracting(NotificationDecision::councilOds).isEqualTo("TSTC2");
    }

    @Test
    void mergeWithAVisitIsAnUpdateWithoutOneItNotifiesNothing() {
        assertThat(decider.decide(event("A40", EventKind.MERGE, visit, "C1"), List.of(CPP))).hasSize(1);
        assertThat(decider.decide(event("A40", EventKind.MERGE, null, "C2-" + visit), List.of(CPP))).isEmpty();
    }

    @Test
    void withoutAVisitNumberTheControlIdIsTheAttendance() {
        String ctl = "CTL-" + visit;
        UUID id = decider.decide(event("A04", EventKind.ARRIVAL, null, ctl), List.of(CPP)).get(0).notificationId();
        assertThat(decider.decide(event("A04", EventKind.ARRIVAL, null, ctl), List.of(CPP))).singleElement()
                .satisfies(d -> assertThat(d.notificationId()).isEqualTo(id));
        assertThat(decider.decide(event("A04", EventKind.ARRIVAL, null, ctl + "x"), List.of(CPP))).hasSize(1);
    }

    @Test
    void twoConsumersWithTwoMessagesOfOneVisitDecideOneNotification() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String v = visit + "-" + round;
                CountDownLatch go = new CountDownLatch(1);
                Future<List<NotificationDecision>> a = pool.submit(() -> {
                    go.await();
                    return decider.decide(event("A04", EventKind.ARRIVAL, v, "C1"), List.of(CPP));
                });
                Future<List<NotificationDecision>> b = pool.submit(() -> {
                    go.await();
                    return decider.decide(event("A08", EventKind.UPDATE, v, "C2"), List.of(CPP));
                });
                go.countDown();
                List<NotificationDecision> all = new ArrayList<>(a.get(10, TimeUnit.SECONDS));
                all.addAll(b.get(10, TimeUnit.SECONDS));
                assertThat(all).as("round " + round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoConsumersWithTheSameRedeliveredMessageAgreeOnOneId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                Attendance a04 = event("A04", EventKind.ARRIVAL, visit + "-" + round, "C1");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<NotificationDecision>>> fs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    fs.add(pool.submit(() -> {
                        go.await();
                        return decider.decide(a04, List.of(CPP));
                    }));
                }
                go.countDown();
                Set<UUID> ids = new HashSet<>();
                for (Future<List<NotificationDecision>> f : fs) {
                    f.get(10, TimeUnit.SECONDS).forEach(d -> ids.add(d.notificationId()));
                }
                assertThat(ids).as("round " + round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCancelsOfOneVisitCancelOnce() throws Exception {
        decider.decide(event("A04", EventKind.ARRIVAL, visit, "C1"), List.of(CPP));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<List<NotificationDecision>> a = pool.submit(() -> {
                go.await();
                return decider.decide(event("A11", EventKind.CANCEL, visit, "C2"), List.of());
            });
            Future<List<NotificationDecision>> b = pool.submit(() -> {
                go.await();
                return decider.decide(event("A11", EventKind.CANCEL, visit, "C3"), List.of());
            });
            go.countDown();
            assertThat(a.get(10, TimeUnit.SECONDS).size() + b.get(10, TimeUnit.SECONDS).size()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
