package org.cpis.engine.lookup;

import java.util.Optional;

/** The three CP-IS flag kinds (SNOMED CT, value set England-ChildProtectionPlan), DESIGN.md §3. */
public enum FlagKind {
    CHILD_PROTECTION_PLAN("342191000000101", "cpp"),
    LOOKED_AFTER_CHILD("764841000000100", "lac"),
    UNBORN_CHILD_PROTECTION_PLAN("818901000000100", "unborn");

    public static final String SNOMED = "http://snomed.info/sct";

    private final String snomedCode;
    private final String shortName;

    FlagKind(String snomedCode, String shortName) {
        this.snomedCode = snomedCode;
        this.shortName = shortName;
    }

    public String snomedCode() {
        return snomedCode;
    }

    /** Short stable name used in the database and in metrics ({@code cpp}, {@code lac}, {@code unborn}). */
    public String shortName() {
        return shortName;
    }

    public static Optional<FlagKind> fromSnomed(String code) {
        for (FlagKind k : values()) {
            if (k.snomedCode.equals(code)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<FlagKind> fromShortName(String name) {
        for (FlagKind k : values()) {
            if (k.shortName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
