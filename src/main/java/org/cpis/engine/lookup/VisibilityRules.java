package org.cpis.engine.lookup;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Period;

/**
 * Decides, on this side of the wire, whether a Flag is visible today (DESIGN.md §3). Done here and
 * not in the search because FHIR R4 has no {@code status} search parameter on Flag, so a portable
 * lookup fetches every flag of the patient and filters.
 *
 * <ul>
 * <li>{@code entered-in-error}: never visible.</li>
 * <li>A plan that has not started yet ({@code period.start} after today): not visible.</li>
 * <li>A plan that ended ({@code period.end} before today): visible for {@code endedPlanWindow} after
 *     the end day, inclusive (365 days: ended 365 days ago is visible, 366 is not). The status
 *     may be {@code active} or {@code inactive}; the end date decides.</li>
 * <li>{@code inactive} with no {@code period.end}: not visible (no end date to apply the window to).</li>
 * <li>Unborn-child flags with the expected-due-date extension: visible until {@code unbornWindow}
 *     after the due date, inclusive (due + 28 visible, due + 29 not), on top of the rules above.</li>
 * </ul>
 * Dates are compared as calendar days in {@code zone} (Europe/London by default), so a plan ending
 * "today" is visible all of today wherever the server runs.
 */
public final class VisibilityRules {

    /** Extension on Flag carrying the expected due date of an unborn child (valueDate). */
    public static final String EXPECTED_DUE_DATE_URL =
            "https://cpis-engine.org/fhir/StructureDefinition/expected-due-date";

    private final Clock clock;
    private final ZoneId zone;
    private final long endedPlanDays;
    private final long unbornDays;

    public VisibilityRules(Clock clock, ZoneId zone, Duration endedPlanWindow, Duration unbornWindow) {
        this.clock = clock;
        this.zone = zone;
        this.endedPlanDays = endedPlanWindow.toDays();
        this.unbornDays = unbornWindow.toDays();
    }

    /** The defaults of DESIGN.md §3: 365 days after a plan ends, 28 days after the due date. */
    public static VisibilityRules defaults(Clock clock) {
        return new VisibilityRules(clock, ZoneId.of("Europe/London"), Duration.ofDays(365), Duration.ofDays(28));
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    public boolean isVisible(Flag flag, FlagKind kind) {
        Flag.FlagStatus status = flag.getStatus();
        if (status == Flag.FlagStatus.ENTEREDINERROR || status == null || status == Flag.FlagStatus.NULL) {
            return false;
        }
        LocalDate today = today();
        Period period = flag.hasPeriod() ? flag.getPeriod() : null;
        LocalDate start = period != null && period.hasStart() ? day(period.getStartElement()) : null;
        LocalDate end = period != null && period.hasEnd() ? day(period.getEndElement()) : null;
        if (start != null && start.isAfter(today)) {
            return false;
        }
        if (end != null) {
            if (today.isAfter(end.plusDays(endedPlanDays))) {
                return false;
            }
        } else if (status == Flag.FlagStatus.INACTIVE) {
            return false;
        }
        if (kind == FlagKind.UNBORN_CHILD_PROTECTION_PLAN) {
            LocalDate due = expectedDueDate(flag);
            if (due != null && today.isAfter(due.plusDays(unbornDays))) {
                return false;
            }
        }
        return true;
    }

    /** The expected due date carried by the flag, or null. */
    public static LocalDate expectedDueDate(Flag flag) {
        Extension ext = flag.getExtensionByUrl(EXPECTED_DUE_DATE_URL);
        if (ext == null || !(ext.getValue() instanceof DateType d) || d.getValue() == null) {
            return null;
        }
        return LocalDate.of(d.getYear(), d.getMonth() + 1, d.getDay());
    }

    private LocalDate day(DateTimeType value) {
        if (value.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            // A plain date ("2025-03-01") is a calendar day as written; converting it through an
            // instant would shift it by a day whenever the JVM zone is east of the rules' zone.
            return LocalDate.of(value.getYear(), value.getMonth() + 1,
                    value.getPrecision() == TemporalPrecisionEnum.DAY ? value.getDay() : 1);
        }
        return value.getValue().toInstant().atZone(zone).toLocalDate();
    }
}
