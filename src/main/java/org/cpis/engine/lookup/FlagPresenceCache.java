package org.cpis.engine.lookup;

/**
 * Lets a lookup skip the flag store for a patient known to have no flag. An implementation may
 * only answer {@code true} from {@link #knownUnflagged} when that knowledge is younger than
 * {@code cpis.lookup.max-staleness}, so it never hides a new flag for longer than that.
 */
public interface FlagPresenceCache {

    /** True only when the patient certainly had no flag at most max-staleness ago. */
    boolean knownUnflagged(String nhsNumber);

    /** Tells the cache a live search found flags for this number. */
    void sawFlags(String nhsNumber);

    /**
     * A hint, never a decision: true when the cache holds a flag for this number, however old its
     * knowledge. Intake uses it to put the child's messages in the fast lane; the lookup still decides.
     */
    default boolean mayBeFlagged(String nhsNumber) {
        return false;
    }

    /** {@code cpis.lookup.cache=none}: every lookup is a live search. */
    FlagPresenceCache NONE = new FlagPresenceCache() {
        @Override
        public boolean knownUnflagged(String nhsNumber) {
            return false;
        }

        @Override
        public void sawFlags(String nhsNumber) {
        }
    };
}
