package org.cpis.engine.flagstore;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;

/**
 * Whether a flag counts as current (DESIGN.md §3): a plan stays visible while it runs and for
 * {@code endedVisibleDays} after it ends; an unborn-child flag until {@code dueDateGraceDays} after the
 * expected due date. Pure, so the lookup stage applies the same rule to flags from foreign servers.
 */
public final class FlagVisibility {
    public static final int DEFAULT_ENDED_VISIBLE_DAYS = 365;
    public static final int DEFAULT_DUE_DATE_GRACE_DAYS = 28;

    private final int endedVisibleDays;
    private final int dueDateGraceDays;

    public FlagVisibility(int endedVisibleDays, int dueDateGraceDays) {
        if (endedVisibleDays < 0 || dueDateGraceDays < 0) {
            throw new IllegalArgumentException("visibility windows must not be negative");
        }
        this.endedVisibleDays = endedVisibleDays;
        this.dueDateGraceDays = dueDateGraceDays;
    }

    public static FlagVisibility defaults() {
        return new FlagVisibility(DEFAULT_ENDED_VISIBLE_DAYS, DEFAULT_DUE_DATE_GRACE_DAYS);
    }

    public int endedVisibleDays() {
        return endedVisibleDays;
    }

    public int dueDateGraceDays() {
        return dueDateGraceDays;
    }

    /** Last plan end date still visible on {@code today}. */
    public LocalDate endCutoff(LocalDate today) {
        return today.minusDays(endedVisibleDays);
    }

    /** Last due date still visible on {@code today}. */
    public LocalDate dueCutoff(LocalDate today) {
        return today.minusDays(dueDateGraceDays);
    }

    /**
     * The rule on plain values. {@code status} is the FHIR Flag.status code; entered-in-error is never
     * visible; a plan that has not started yet is not visible; inactive with no end date is closed.
     */
    public boolean isVisible(String code, String status, LocalDate start, LocalDate end, LocalDate dueDate,
                             LocalDate today) {
        if (status == null || "entered-in-error".equals(status)) {
            return false;
        }
        if (start != null && start.isAfter(today)) {
            return false;
        }
        if (FhirIds.CODE_UNBORN.equals(code) && dueDate != null) {
            return !dueDate.isBefore(dueCutoff(today));
        }
        if (end == null) {
            return "active".equals(status);
        }
        return !end.isBefore(endCutoff(today));
    }

    /** The rule on a FHIR Flag (dates read in UTC). */
    public boolean isVisible(Flag flag, LocalDate today) {
        String code = flag.getCode().getCoding().stream()
                .filter(c -> FhirIds.SNOMED.equals(c.getSystem())).map(c -> c.getCode()).findFirst().orElse(null);
        String status = flag.hasStatus() ? flag.getStatus().toCode() : null;
        LocalDate start = flag.getPeriod().hasStart() ? localDate(flag.getPeriod().getStartElement()) : null;
        LocalDate end = flag.getPeriod().hasEnd() ? localDate(flag.getPeriod().getEndElement()) : null;
        return isVisible(code, status, start, end, dueDate(flag), today);
    }

    /** The expected due date extension of a flag, or null. */
    public static LocalDate dueDate(Flag flag) {
        Extension ext = flag.getExtensionByUrl(FhirIds.EXT_DUE_DATE);
        if (ext == null || !(ext.getValue() instanceof DateType d) || d.getValue() == null) {
            return null;
        }
        return localDate(d);
    }

    /** The calendar date as written (no time-zone shift), e.g. 2025-03-01T23:00:00+01:00 is 2025-03-01. */
    public static LocalDate localDate(BaseDateTimeType d) {
        if (d == null || d.getValue() == null) {
            return null;
        }
        return LocalDate.of(d.getYear(), d.getMonth() + 1, d.getDay());
    }
}
