package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FastLaneTest {
    private static final String FLAGGED = "9434765919";
    private final FastLane lane = new FastLane(Set.of(FLAGGED)::contains);

    /** The identifiers intake hands the lane for a message with this PID segment. */
    private static List<String> adt(String pid, String separator) {
        String text = String.join(separator,
                "MSH|^~\\&|PAS|RX1|CPIS|CPIS|20261202101500||ADT^A04|C1|P|2.4",
                "EVN|A04|20261202101500",
                pid,
                "PV1|1|E|RX1CC^^^RX1");
        Hl7Header h = Hl7Header.parse(text);
        return PatientKey.nhsShapedIds(PatientKey.pidFields(text, h), h);
    }

    @Test
    void flaggedNumberInAnyPid3RepetitionTakesTheFastLane() {
        assertThat(lane.queueFor(adt("PID|1||" + FLAGGED + "^^^NHS^NH||SMITH^ANN", "\r"))).isEqualTo(FastLane.FLAGGED_QUEUE);
        assertThat(lane.queueFor(adt("PID|1||RX123^^^RX1^MR~" + FLAGGED + "^^^NHS^NH||SMITH^ANN", "\r")))
                .isEqualTo(FastLane.FLAGGED_QUEUE);
    }

    @Test
    void flaggedNumberInPid2WithSpacesAndLineFeedsTakesTheFastLane() {
        assertThat(lane.queueFor(adt("PID|1|943 476 5919|RX123^^^RX1^MR||SMITH^ANN", "\n"))).isEqualTo(FastLane.FLAGGED_QUEUE);
    }

    @Test
    void unflaggedOrMissingNumbersTakeTheRoutineQueue() {
        assertThat(lane.queueFor(adt("PID|1||9449306753^^^NHS^NH||SMITH^ANN", "\r"))).isEqualTo(FastLane.ROUTINE_QUEUE);
        assertThat(lane.queueFor(adt("PID|1||RX123^^^RX1^MR||SMITH^ANN", "\r"))).isEqualTo(FastLane.ROUTINE_QUEUE);
        // The flagged number outside PID-2/PID-3 (here PID-18, the account number) is not a patient identifier.
        assertThat(lane.queueFor(adt("PID|1||RX123^^^RX1^MR||SMITH^ANN|||||||||||" + FLAGGED, "\r")))
                .isEqualTo(FastLane.ROUTINE_QUEUE);
        assertThat(lane.queueFor(null)).isEqualTo(FastLane.ROUTINE_QUEUE);
    }

    @Test
    void switchedOffSendsEverythingTheRoutineWay() {
        assertThat(FastLane.off().queueFor(adt("PID|1||" + FLAGGED + "^^^NHS^NH||SMITH^ANN", "\r")))
                .isEqualTo(FastLane.ROUTINE_QUEUE);
    }
}
