package org.cpis.engine.bench;

/**
 * The sender shapes the workload mixes, as UK ED systems send them (DESIGN.md §3).
 * Share in percent of all messages.
 */
public enum Dialect {
    /** NHS ITK v2.4: NHS number as a PID-3 repetition with CX.4 {@code NHS} and CX.5 {@code NH}; site in PV1-3.4, trust in PV1-3.11; CR separators. */
    ITK_V24(50),
    /** Older v2.3 system: NHS number in PID-2, local MRN in PID-3; LF segment separators. */
    V23_PID2_LF(25),
    /** v2.5.1: NHS number in PID-3 with CX.5 {@code NH} only (no CX.4); site only in MSH-4. */
    V251_NH_MSH4(25);

    private final int percent;

    Dialect(int percent) {
        this.percent = percent;
    }

    public int percent() {
        return percent;
    }

    static Dialect forDraw(int draw) {
        int acc = 0;
        for (Dialect d : values()) {
            acc += d.percent;
            if (draw < acc) {
                return d;
            }
        }
        throw new IllegalArgumentException("draw must be in [0,100): " + draw);
    }
}
