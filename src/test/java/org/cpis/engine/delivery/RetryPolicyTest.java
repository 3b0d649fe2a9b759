package org.cpis.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.cpis.engine.config.EngineConfig;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy p = new RetryPolicy(Duration.ofSeconds(5), 2, Duration.ofHours(1), Duration.ofHours(24));

    @Test
    void growsExponentiallyUpToTheCap() {
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(5)).isEqualTo(Duration.ofSeconds(80));
        assertThat(p.delayAfter(30)).isEqualTo(Duration.ofHours(1));
        assertThat(p.delayAfter(10_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void givesUpAfterTheWindow() {
        Instant created = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(p.nextAttempt(created, 1, created)).isEqualTo(created.plusSeconds(5));
        assertThat(p.nextAttempt(created, 40, created.plus(Duration.ofMinutes(23 * 60 + 30)))).isNull();
        assertThat(p.nextAttempt(created, 40, created.plus(Duration.ofHours(22)))).isEqualTo(created.plus(Duration.ofHours(23)));
    }

    @Test
    void readsConfigAndRejectsNonsense() {
        Properties o = new Properties();
        o.setProperty("cpis.delivery.retry.initial-delay", "1s");
        o.setProperty("cpis.delivery.retry.give-up-after", "10m");
        RetryPolicy r = RetryPolicy.from(EngineConfig.load(o, Map.of()));
        assertThat(r.initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.giveUpAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.multiplier()).isEqualTo(2.0);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 2, Duration.ofHours(1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
