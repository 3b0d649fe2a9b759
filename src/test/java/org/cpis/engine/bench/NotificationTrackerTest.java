package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationTrackerTest {
    private static final long MS = 1_000_000L;

    private static GeneratedMessage flagged(String runTag, int n) {
        return new GeneratedMessage("BM" + runTag + "X" + n, WorkloadStream.VISIT_PREFIX + runTag + "X" + n,
                "9990000018", true, AdtEvent.A04, Dialect.ITK_V24, new byte[0]);
    }

    @Test
    void oneRunsSummaryCountsOnlyThatRunsMessages() {
        NotificationTracker t = new NotificationTracker(Set.of(AdtEvent.A04));
        // Run EA: two notifications, one slow (3 s); run EZ: two quick ones and one never delivered.
        t.accepted(flagged("EA", 1), 0);
        t.arrived(WorkloadStream.VISIT_PREFIX + "EAX1", 3_000 * MS);
        t.accepted(flagged("EA", 2), 0);
        t.arrived(WorkloadStream.VISIT_PREFIX + "EAX2", 10 * MS);
        t.accepted(flagged("EZ", 1), 100 * MS);
        t.arrived(WorkloadStream.VISIT_PREFIX + "EZX1", 120 * MS);
        t.accepted(flagged("EZ", 2), 100 * MS);
        t.arrived(WorkloadStream.VISIT_PREFIX + "EZX2", 130 * MS);
        t.accepted(flagged("EZ", 3), 100 * MS);

        NotificationTracker.Summary all = t.summary();
        assertThat(all.expected()).isEqualTo(5);
        assertThat(all.delivered()).isEqualTo(4);
        assertThat(all.p99Millis()).isGreaterThan(2_900);

        NotificationTracker.Summary open = t.summary("EZ");
        assertThat(open.expected()).isEqualTo(3);
        assertThat(open.delivered()).isEqualTo(2);
        assertThat(open.lost()).isEqualTo(1);
        assertThat(open.p99Millis()).isBetween(29.0, 31.0);
    }
}
