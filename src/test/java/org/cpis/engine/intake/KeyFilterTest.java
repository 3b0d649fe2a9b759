package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

    private static List<String> keys(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> "EDIS|RX1|" + prefix + i).toList();
    }

    @Test
    void everyKeyPutIsFoundAndFewOthersAre() {
        KeyFilter filter = new KeyFilter(10_000, 2);
        keys("A", 10_000).forEach(filter::put);
        assertThat(keys("A", 10_000)).allMatch(filter::mightContain);
        long others = keys("B", 10_000).stream().filter(filter::mightContain).count();
        // Sized for 1% false positives; Guava's hashing is fixed, so this count is too.
        assertThat(others).isLessThan(200);
    }

    @Test
    void aFullSliceStartsANewOneAndTheOldestGoesPastTheLimit() {
        KeyFilter filter = new KeyFilter(1_000, 3);
        keys("S0-", 1_000).forEach(filter::put);
        assertThat(filter.slices()).isEqualTo(2);
        keys("S1-", 1_000).forEach(filter::put);
        keys("S2-", 1_000).forEach(filter::put);
        assertThat(filter.slices()).as("at most three").isEqualTo(3);
        keys("S3-", 500).forEach(filter::put);

        // The newest slices keep every key: no false negatives.
        assertThat(keys("S2-", 1_000)).allMatch(filter::mightContain);
        assertThat(keys("S3-", 500)).allMatch(filter::mightContain);
        // The oldest slice has been dropped: its keys are now mostly unknown.
        assertThat(keys("S0-", 1_000).stream().filter(filter::mightContain).count()).isLessThan(100);
    }

    @Test
    void concurrentPutsLoseNoKey() throws Exception {
        KeyFilter filter = new KeyFilter(5_000, 8);
        List<Thread> threads = IntStream.range(0, 4).mapToObj(t -> new Thread(() ->
                keys("T" + t + "-", 8_000).forEach(filter::put))).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (int t = 0; t < 4; t++) {
            assertThat(keys("T" + t + "-", 8_000)).allMatch(filter::mightContain);
        }
        assertThat(filter.slices()).isBetween(7, 8);
    }
}
