package org.cpis.engine.bench;

/** Told about every accepted message (warm-up included), e.g. to expect its notification. */
@FunctionalInterface
public interface AckListener {

    /** @param ackNanos {@link System#nanoTime()} when the ACK was read */
    void accepted(GeneratedMessage message, long ackNanos);

    static AckListener none() {
        return (m, t) -> { };
    }
}
