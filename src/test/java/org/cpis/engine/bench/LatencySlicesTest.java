package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySlicesTest {
    static final long S = 1_000_000_000L;

    @Test
    void aSlowStartShowsInTheFirstSliceOnly() {
        LatencySlices a = new LatencySlices(12 * S);
        LatencySlices b = new LatencySlices(12 * S);
        for (int i = 0; i < 100; i++) {
            a.record(i * S / 100, 600_000);          // the first second: 600 ms behind
            a.record(6 * S + i * S / 100, 4_000);    // later: 4 ms
            b.record(11 * S + i * S / 200, 8_000);   // the short last slice, from another sender
        }
        a.record(-1, 900_000);                       // due before the window: not counted
        a.record(12 * S, 900_000);                   // due after it: not counted
        a.add(b);

        List<LatencySlices.Slice> s = a.summary();
        assertThat(s).extracting(LatencySlices.Slice::fromSecond).containsExactly(0, 5, 10);
        assertThat(s).extracting(LatencySlices.Slice::messages).containsExactly(100L, 100L, 100L);
        assertThat(s.get(0).p99Millis()).isCloseTo(600, within(6.0));
        assertThat(s.get(1).p99Millis()).isCloseTo(4, within(0.1));
        assertThat(s.get(2).maxMillis()).isCloseTo(8, within(0.1));
    }

    @Test
    void anEmptySliceReportsNothing() {
        LatencySlices a = new LatencySlices(10 * S);
        a.record(S, 2_000);
        assertThat(a.summary().get(1).messages()).isZero();
        assertThat(a.summary().get(1).p99Millis()).isZero();
    }
}
