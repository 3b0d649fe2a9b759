package org.cpis.engine.intake;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for accepted messages: a random 64-bit id of this engine run (from SecureRandom, once)
 * beside a sequence, shown as a UUID. Unique within a run by the sequence, and between runs and
 * nodes by the run id. Why not {@link UUID#randomUUID()}: every call takes SecureRandom's lock,
 * and the 64 intake threads queued on it.
 */
public final class MessageIds {
    private final long run = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    public String next() {
        return new UUID(run, sequence.incrementAndGet()).toString();
    }
}
