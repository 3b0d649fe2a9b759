package org.cpis.engine.bench;

/** The ADT trigger events the workload sends, with their share of the mix (percent). */
public enum AdtEvent {
    A04(60),
    A08(25),
    A03(10),
    A01(5);

    private final int percent;

    AdtEvent(int percent) {
        this.percent = percent;
    }

    public int percent() {
        return percent;
    }

    /** Picks an event for a draw in {@code [0, 100)} so the shares above hold. */
    static AdtEvent forDraw(int draw) {
        int acc = 0;
        for (AdtEvent e : values()) {
            acc += e.percent;
            if (draw < acc) {
                return e;
            }
        }
        throw new IllegalArgumentException("draw must be in [0,100): " + draw);
    }
}
