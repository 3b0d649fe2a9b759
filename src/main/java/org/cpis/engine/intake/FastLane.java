package org.cpis.engine.intake;

import java.util.List;
import java.util.function.Predicate;
import org.apache.camel.Exchange;

/**
 * Chooses the queue an accepted ADT waits in. A message whose PID-2 or PID-3 holds an NHS number
 * the flag index knows to be flagged takes the fast lane ({@value #FLAGGED_QUEUE}), with its own
 * consumers, so a flagged child's notification does not wait behind thousands of routine
 * attendances; everything else takes {@value #ROUTINE_QUEUE}.
 *
 * <p>A hint, not a decision: both lanes run the same attendance stage, and the lookup decides. A
 * child flagged since the index last synced takes the routine lane and is notified all the same,
 * only later. One patient's messages stay in order within a lane; a patient whose flag appears
 * between two messages may have the later one processed first, which the decision stage already
 * allows for (concurrent consumers never promised order across patients' groups either).
 */
public final class FastLane {
    public static final String PROPERTY = "cpisQueue";
    /** Set by {@link AdtIntake#accept}: the NHS-number-shaped identifiers of PID-2 and PID-3. */
    static final String IDS_PROPERTY = "cpisNhsShapedIds";
    public static final String FLAGGED_QUEUE = "cpis.adt.flagged";
    public static final String ROUTINE_QUEUE = "cpis.adt";

    private final Predicate<String> mayBeFlagged;

    /** @param mayBeFlagged the flag index's hint for one NHS-number-shaped identifier */
    public FastLane(Predicate<String> mayBeFlagged) {
        this.mayBeFlagged = mayBeFlagged;
    }

    /** A lane that sends everything the routine way ({@code cpis.pipeline.fast-lane.enabled=false}). */
    public static FastLane off() {
        return new FastLane(id -> false);
    }

    /** Camel entry point, after {@link AdtIntake#accept}: sets the exchange property {@value #PROPERTY}. */
    @SuppressWarnings("unchecked")
    public void choose(Exchange exchange) {
        exchange.setProperty(PROPERTY, queueFor(exchange.getProperty(IDS_PROPERTY, List.class)));
    }

    String queueFor(List<String> nhsShapedIds) {
        if (nhsShapedIds != null) {
            for (String id : nhsShapedIds) {
                if (mayBeFlagged.test(id)) {
                    return FLAGGED_QUEUE;
                }
            }
        }
        return ROUTINE_QUEUE;
    }
}
