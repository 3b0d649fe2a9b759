package org.cpis.engine.intake;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the MLLP listener, shown on /health and /metrics. */
public final class MllpStats {
    private final LongAdder bytesOutsideFrame = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final AtomicInteger openConnections = new AtomicInteger();

    public void bytesOutsideFrame(int n) {
        bytesOutsideFrame.add(n);
    }

    public long bytesOutsideFrame() {
        return bytesOutsideFrame.sum();
    }

    public void refusedConnection() {
        refusedConnections.increment();
    }

    public long refusedConnections() {
        return refusedConnections.sum();
    }

    public void idleClosed() {
        idleClosed.increment();
    }

    public long idleClosedConnections() {
        return idleClosed.sum();
    }

    /** Counts a new connection; returns the number now open. */
    public int opened() {
        return openConnections.incrementAndGet();
    }

    public void closed() {
        openConnections.decrementAndGet();
    }

    public int openConnections() {
        return openConnections.get();
    }
}
