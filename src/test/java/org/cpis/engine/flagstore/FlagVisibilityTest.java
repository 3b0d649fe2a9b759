package org.cpis.engine.flagstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The pure visibility rule at its edges (the store's SQL is checked against the same edges in the ITs). */
class FlagVisibilityTest {
    final FlagVisibility v = FlagVisibility.defaults();
    final LocalDate end = LocalDate.of(2025, 3, 1);

    @Test
    void endedPlanVisibleThrough365DaysAfterItsEnd() {
        assertThat(v.isVisible(FhirIds.CODE_CPP, "inactive", end.minusDays(9), end, null, end.plusDays(365))).isTrue();
        assertThat(v.isVisible(FhirIds.CODE_CPP, "inactive", end.minusDays(9), end, null, end.plusDays(366))).isFalse();
        // 2024 was a leap year: the window counts days, not calendar years.
        assertThat(v.isVisible(FhirIds.CODE_LAC, "active", null, LocalDate.of(2024, 2, 1), null, LocalDate.of(2025, 1, 31))).isTrue();
    }

    @Test
    void unbornFlagVisibleThrough28DaysAfterTheDueDate() {
        LocalDate due = LocalDate.of(2026, 1, 10);
        assertThat(v.isVisible(FhirIds.CODE_UNBORN, "active", null, null, due, due.plusDays(28))).isTrue();
        assertThat(v.isVisible(FhirIds.CODE_UNBORN, "active", null, null, due, due.plusDays(29))).isFalse();
    }

    @Test
    void statusAndStartDateRules() {
        LocalDate today = LocalDate.of(2026, 6, 1);
        assertThat(v.isVisible(FhirIds.CODE_CPP, "active", today.minusDays(1), null, null, today)).isTrue();
        assertThat(v.isVisible(FhirIds.CODE_CPP, "entered-in-error", today.minusDays(1), null, null, today)).isFalse();
        assertThat(v.isVisible(FhirIds.CODE_CPP, "inactive", today.minusDays(1), null, null, today)).isFalse();
        assertThat(v.isVisible(FhirIds.CODE_CPP, "active", today.plusDays(1), null, null, today)).isFalse();
    }

    @Test
    void windowsAreConfigurableAndTheFhirFormAgrees() {
        FlagVisibility shortWindows = new FlagVisibility(30, 7);
        assertThat(shortWindows.isVisible(FhirIds.CODE_CPP, "inactive", null, end, null, end.plusDays(30))).isTrue();
        assertThat(shortWindows.isVisible(FhirIds.CODE_CPP, "inactive", null, end, null, end.plusDays(31))).isFalse();
        var flag = FlagStoreSeeder.flag("TSTC2", "x", "9449305552", FhirIds.CODE_UNBORN, end.minusDays(100), null, end);
        assertThat(v.isVisible(flag, end.plusDays(28))).isTrue();
        assertThat(v.isVisible(flag, end.plusDays(29))).isFalse();
        assertThatThrownBy(() -> new FlagVisibility(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
