package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {

    @Test
    void keepsTheNewestKeysUpToItsCapacity() {
        RecentKeys recent = new RecentKeys(3);
        recent.add("a");
        recent.add("b");
        recent.add("c");
        recent.add("b"); // already held: not counted twice
        assertThat(recent.size()).isEqualTo(3);
        recent.add("d");
        assertThat(recent.contains("a")).as("the oldest went first").isFalse();
        assertThat(recent.contains("b")).isTrue();
        assertThat(recent.contains("c")).isTrue();
        assertThat(recent.contains("d")).isTrue();
        assertThat(recent.size()).isEqualTo(3);
    }
}
