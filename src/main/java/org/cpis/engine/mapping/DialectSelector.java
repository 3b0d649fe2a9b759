package org.cpis.engine.mapping;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code match:} block: which senders a dialect is for. Exact values (any of a list) and
 * regular expressions (whole-value match) on MSH-3.1 and MSH-4.1; every criterion given must hold.
 */
public record DialectSelector(Set<String> applications, Set<String> facilities, Pattern applicationPattern,
        Pattern facilityPattern) {

    public DialectSelector {
        applications = applications == null ? Set.of() : Set.copyOf(applications);
        facilities = facilities == null ? Set.of() : Set.copyOf(facilities);
    }

    /** True when no criterion is given: the dialect is only used by name or as a base. */
    public boolean isEmpty() {
        return applications.isEmpty() && facilities.isEmpty() && applicationPattern == null && facilityPattern == null;
    }

    /** True when the selector uses a regular expression (tried after every exact selector). */
    public boolean usesPattern() {
        return applicationPattern != null || facilityPattern != null;
    }

    public boolean matches(String application, String facility) {
        if (isEmpty()) {
            return false;
        }
        String app = application == null ? "" : application;
        String fac = facility == null ? "" : facility;
        return (applications.isEmpty() || applications.contains(app))
                && (facilities.isEmpty() || facilities.contains(fac))
                && (applicationPattern == null || applicationPattern.matcher(app).matches())
                && (facilityPattern == null || facilityPattern.matcher(fac).matches());
    }

    /** How specific an exact selector is: both fields beat one. */
    int specificity() {
        return (applications.isEmpty() ? 0 : 1) + (facilities.isEmpty() ? 0 : 1);
    }
}
