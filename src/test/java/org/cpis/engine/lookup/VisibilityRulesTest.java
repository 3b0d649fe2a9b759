package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;

class VisibilityRulesTest {

    // 00:30 on 15 June in London (BST) is still 14 June in UTC: days must be counted in London.
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-14T23:30:00Z"));
    final VisibilityRules rules = VisibilityRules.defaults(clock);
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    static Flag flag(Flag.FlagStatus status, String start, String end) {
        Flag f = new Flag();
        f.setStatus(status);
        if (start != null) {
            f.getPeriod().setStartElement(new DateTimeType(start));
        }
        if (end != null) {
            f.getPeriod().setEndElement(new DateTimeType(end));
        }
        return f;
    }

    @Test
    void todayIsTheLondonCalendarDay() {
        assertThat(rules.today()).isEqualTo(TODAY);
    }

    @Test
    void endedPlanWindowIsInclusiveOf365Days() {
        assertThat(rules.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", TODAY.minusDays(365).toString()),
                FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", TODAY.minusDays(366).toString()),
                FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
        // An active flag whose end date passed is judged by the end date too.
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ACTIVE, "2020-01-01", TODAY.minusDays(366).toString()),
                FlagKind.LOOKED_AFTER_CHILD)).isFalse();
    }

    @Test
    void endGivenAsDateTimeIsTakenInLondon() {
        // 2025-06-14T23:30Z is 15 June 2025 00:30 in London: exactly 365 days before today, still visible.
        assertThat(rules.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", "2025-06-14T23:30:00Z"),
                FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", "2025-06-14T22:30:00Z"),
                FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
    }

    @Test
    void statusRules() {
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ACTIVE, "2020-01-01", null), FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ACTIVE, null, null), FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ENTEREDINERROR, "2020-01-01", null), FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", null), FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
        assertThat(rules.isVisible(flag(null, "2020-01-01", null), FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ACTIVE, TODAY.toString(), null), FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(flag(Flag.FlagStatus.ACTIVE, TODAY.plusDays(1).toString(), null), FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
    }

    @Test
    void unbornWindowIsInclusiveOf28DaysAfterTheDueDate() {
        Flag due28 = flag(Flag.FlagStatus.ACTIVE, "2026-01-01", null);
        due28.addExtension(VisibilityRules.EXPECTED_DUE_DATE_URL, new DateType(TODAY.minusDays(28).toString()));
        Flag due29 = flag(Flag.FlagStatus.ACTIVE, "2026-01-01", null);
        due29.addExtension(VisibilityRules.EXPECTED_DUE_DATE_URL, new DateType(TODAY.minusDays(29).toString()));
        assertThat(rules.isVisible(due28, FlagKind.UNBORN_CHILD_PROTECTION_PLAN)).isTrue();
        assertThat(rules.isVisible(due29, FlagKind.UNBORN_CHILD_PROTECTION_PLAN)).isFalse();
        assertThat(VisibilityRules.expectedDueDate(due29)).isEqualTo(TODAY.minusDays(29));
        // The due-date rule is for unborn flags only.
        assertThat(rules.isVisible(due29, FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
    }

    @Test
    void windowsAreConfigurable() {
        VisibilityRules shorter = new VisibilityRules(clock, ZoneId.of("Europe/London"), Duration.ofDays(30), Duration.ofDays(7));
        assertThat(shorter.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", TODAY.minusDays(31).toString()),
                FlagKind.CHILD_PROTECTION_PLAN)).isFalse();
        assertThat(shorter.isVisible(flag(Flag.FlagStatus.INACTIVE, "2020-01-01", TODAY.minusDays(30).toString()),
                FlagKind.CHILD_PROTECTION_PLAN)).isTrue();
    }
}
