package org.cpis.engine.bench;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;

/**
 * The bench workload: a flag set to preload, and a patient population of which a fixed fraction
 * carries one of those flags. Messages are generated per send from {@link #stream}, in memory.
 *
 * <p>Every message is its own visit (unique PV1-19) and has a unique MSH-10, so each flagged
 * message that the engine ACKs should end in exactly one notification.
 */
public final class Workload {

    private final FlagSet flags;
    private final String[] patients;
    private final boolean[] patientFlagged;
    private final double flaggedFraction;

    private Workload(FlagSet flags, String[] patients, boolean[] patientFlagged, double flaggedFraction) {
        this.flags = flags;
        this.patients = patients;
        this.patientFlagged = patientFlagged;
        this.flaggedFraction = flaggedFraction;
    }

    /**
     * @param flagCount       flags to preload (150,000 for a full run)
     * @param patientCount    patients the messages are about
     * @param flaggedFraction share of those patients that carry a flag (0.01)
     */
    public static Workload create(int flagCount, int patientCount, double flaggedFraction, long seed) {
        if (flagCount < 1 || patientCount < 1 || flaggedFraction < 0 || flaggedFraction > 1) {
            throw new IllegalArgumentException("flags and patients must be positive and the flagged fraction in [0,1]");
        }
        int flaggedPatients = (int) Math.round(patientCount * flaggedFraction);
        if (flaggedPatients > flagCount) {
            throw new IllegalArgumentException("more flagged patients (" + flaggedPatients + ") than flags (" + flagCount + ")");
        }
        int unflagged = patientCount - flaggedPatients;
        // One block of the test range: the first flagCount numbers are flagged, the rest are not.
        String[] numbers = TestNhsNumbers.first(flagCount + unflagged);
        FlagSet flags = FlagSet.of(Arrays.copyOf(numbers, flagCount), LocalDate.now(), seed);
        String[] patients = new String[patientCount];
        boolean[] isFlagged = new boolean[patientCount];
        // Flagged patients spread through the population (every k-th), drawn evenly from the flags.
        int u = flagCount;
        int f = 0;
        for (int i = 0; i < patientCount; i++) {
            boolean flagPatient = f < flaggedPatients && (long) i * flaggedPatients / patientCount >= f;
            if (flagPatient) {
                patients[i] = numbers[(int) ((long) f * flagCount / flaggedPatients)];
                isFlagged[i] = true;
                f++;
            } else {
                patients[i] = numbers[u++];
            }
        }
        return new Workload(flags, patients, isFlagged, flaggedFraction);
    }

    public FlagSet flags() {
        return flags;
    }

    /** NHS numbers with a flag: the bench expects a notification for each message about one. */
    public Set<String> flaggedNhsNumbers() {
        return flags.flaggedNhsNumbers();
    }

    public int patientCount() {
        return patients.length;
    }

    public double flaggedFraction() {
        return flaggedFraction;
    }

    /**
     * A message source for one sender thread. {@code tag} must differ between streams of one run
     * (it keeps MSH-10 and visit numbers unique); {@code seed} makes the sequence reproducible.
     */
    public WorkloadStream stream(String tag, long seed) {
        return new WorkloadStream(this, tag, seed);
    }

    String patient(int idx) {
        return patients[idx];
    }

    boolean isFlagged(int idx) {
        return patientFlagged[idx];
    }
}
