package org.cpis.engine.intake;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last {@code capacity} duplicate keys intake queued, exactly: a resend can arrive before the
 * attendance stage has written the first copy's row, where a database lookup would not find it.
 * The oldest key goes first once full.
 */
final class RecentKeys {
    private final int capacity;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Queue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    RecentKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    void add(String key) {
        if (!keys.add(key)) {
            return;
        }
        order.add(key);
        if (size.incrementAndGet() > capacity) {
            String oldest = order.poll();
            if (oldest != null) {
                keys.remove(oldest);
                size.decrementAndGet();
            }
        }
    }

    boolean contains(String key) {
        return keys.contains(key);
    }

    int size() {
        return size.get();
    }
}
