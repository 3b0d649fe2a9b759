package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against the real floor (Camel netty + HAPI) over loopback sockets. */
class FloorLoadIT {

    static Workload workload;
    static FloorTarget floor;

    @BeforeAll
    static void startFloor(@TempDir Path dir) throws Exception {
        workload = Workload.create(2_000, 10_000, 0.01, 42);
        floor = new FloorTarget();
        floor.start(new BenchContext(dir, workload, null));
    }

    @AfterAll
    static void stopFloor() {
        floor.close();
    }

    @Test
    void closedLoopEveryAckIsAaForItsOwnMessage() throws Exception {
        LoadDriver driver = new LoadDriver("127.0.0.1", floor.mllpPort(), Duration.ofSeconds(5));
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        RunResult r = driver.closedLoop(workload, "T", 4, Duration.ofMillis(300), Duration.ofSeconds(1),
                (m, t) -> accepted.incrementAndGet());

        assertThat(r.errors()).isZero();
        assertThat(r.messages()).isGreaterThan(50);
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.messages());
        assertThat(accepted.get()).isEqualTo(r.sent()).isGreaterThanOrEqualTo(r.messages());
        assertThat(r.p50Millis()).isPositive().isLessThanOrEqualTo(r.p99Millis());
        assertThat(r.p99Millis()).isLessThanOrEqualTo(r.p999Millis());
        assertThat(r.throughput()).isEqualTo(r.messages() / r.windowSeconds());
    }
}
