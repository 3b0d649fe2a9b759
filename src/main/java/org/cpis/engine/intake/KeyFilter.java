package org.cpis.engine.intake;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The duplicate keys intake has met, as Bloom filters: "certainly not met" for a new key without a
 * database statement; "maybe" for a key met before and now and then (1%) for one that was not, which
 * the caller then looks up exactly. Filters of {@code sliceKeys} keys each, newest first; past
 * {@code maxSlices} the oldest is dropped, and its keys are then only caught by the attendance stage.
 * Thread-safe: Guava's filter is lock-free, and only starting a new slice takes a lock.
 */
final class KeyFilter {
    static final double FALSE_POSITIVES = 0.01;

    private final int sliceKeys;
    private final int maxSlices;
    private volatile BloomFilter<CharSequence> current;
    /** Full slices, newest first; replaced whole, never changed. */
    private volatile List<BloomFilter<CharSequence>> older = List.of();
    private final AtomicInteger inCurrent = new AtomicInteger();

    KeyFilter(int sliceKeys, int maxSlices) {
        if (sliceKeys < 1 || maxSlices < 1) {
            throw new IllegalArgumentException("sliceKeys and maxSlices must be at least 1");
        }
        this.sliceKeys = sliceKeys;
        this.maxSlices = maxSlices;
        this.current = newSlice();
    }

    void put(String key) {
        BloomFilter<CharSequence> f = current;
        f.put(key);
        if (inCurrent.incrementAndGet() >= sliceKeys) {
            startSlice(f);
        }
    }

    boolean mightContain(String key) {
        if (current.mightContain(key)) {
            return true;
        }
        for (BloomFilter<CharSequence> f : older) {
            if (f.mightContain(key)) {
                return true;
            }
        }
        return false;
    }

    /** Slices held now, the current one included. */
    int slices() {
        return 1 + older.size();
    }

    private synchronized void startSlice(BloomFilter<CharSequence> full) {
        if (current != full) {
            return; // another thread started it
        }
        List<BloomFilter<CharSequence>> next = new ArrayList<>(maxSlices);
        next.add(full);
        for (BloomFilter<CharSequence> f : older) {
            if (next.size() < maxSlices - 1) {
                next.add(f);
            }
        }
        // Older first, then current: a reader never misses the full slice in between.
        older = List.copyOf(next);
        inCurrent.set(0);
        current = newSlice();
    }

    private BloomFilter<CharSequence> newSlice() {
        return BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), sliceKeys, FALSE_POSITIVES);
    }
}
