package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.cpis.engine.bench.PipelineProgress.Sample;
import org.junit.jupiter.api.Test;

class PipelineProgressTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aPipelineThatKeptUpRunsAtTheIntakeRate() {
        // 1,000 queued in a 10 s run, each finished within the same sample.
        List<Sample> s = List.of(new Sample(0, 0, 0), new Sample(5 * S, 500, 500), new Sample(10 * S, 1000, 1000));
        assertThat(PipelineProgress.rate(s, 0, 10 * S)).hasValue(100.0);
    }

    @Test
    void aBacklogCountsUntilEverythingQueuedByTheRunsEndHasFinished() {
        // 100 left over from before, 1,000 queued in the run; all 1,100 finished 12 s after its end.
        List<Sample> s = List.of(new Sample(0, 100, 0), new Sample(10 * S, 1100, 600),
                new Sample(15 * S, 1300, 900), new Sample(22 * S, 1300, 1100));
        assertThat(PipelineProgress.rate(s, 0, 10 * S).getAsDouble()).isCloseTo(1100 / 22.0, within(1e-9));
    }

    @Test
    void aBacklogThatNeverFinishedGivesTheRateSoFar() {
        List<Sample> s = List.of(new Sample(0, 0, 0), new Sample(10 * S, 1000, 300), new Sample(20 * S, 1000, 500));
        assertThat(PipelineProgress.rate(s, 0, 10 * S)).hasValue(25.0);
    }

    @Test
    void noSampleAroundTheRunGivesNothing() {
        assertThat(PipelineProgress.rate(List.of(new Sample(5 * S, 10, 10)), 0, 10 * S)).isEmpty();
    }

    @Test
    void aBacklogDrainIsTimedFromWhenIntakeStoppedQueuingUntilNothingIsLeft() {
        // The run ends at 10 s; its last messages are queued by 10.1 s (1,200), then 1,000 left
        // finish over 4 s with nothing more queued.
        List<Sample> s = List.of(new Sample(9 * S, 1100, 150), new Sample(10 * S, 1190, 190),
                new Sample(10 * S + S / 10, 1200, 200), new Sample(12 * S, 1200, 700),
                new Sample(14 * S + S / 10, 1200, 1200), new Sample(15 * S, 1200, 1200));
        BacklogDrain d = PipelineProgress.drain(s, 10 * S, 32).orElseThrow();
        assertThat(d.messages()).isEqualTo(1000);
        assertThat(d.seconds()).isCloseTo(4.0, within(1e-9));
        assertThat(d.rate()).isCloseTo(250.0, within(1e-9));
        assertThat(d.afterConnections()).isEqualTo(32);
    }

    @Test
    void noDrainIsTimedWhenTheBacklogNeverFinishedOrWasTooSmall() {
        List<Sample> unfinished = List.of(new Sample(10 * S, 1200, 200), new Sample(20 * S, 1200, 900));
        assertThat(PipelineProgress.drain(unfinished, 10 * S, 8)).isEmpty();
        // 100 left: too few to time on 100 ms readings.
        List<Sample> small = List.of(new Sample(10 * S, 1200, 1100), new Sample(13 * S, 1200, 1200));
        assertThat(PipelineProgress.drain(small, 10 * S, 8)).isEmpty();
        // Finished within a second: too short.
        List<Sample> quick = List.of(new Sample(10 * S, 1200, 200), new Sample(11 * S, 1200, 1200));
        assertThat(PipelineProgress.drain(quick, 10 * S, 8)).isEmpty();
    }

    @Test
    void aDrainCountsOnlyTheTimeAfterIntakeLastQueuedAMessage() {
        // Queuing goes on until 12 s (another sender), so only 12 s -> 16 s is a drain with intake idle.
        List<Sample> s = List.of(new Sample(10 * S, 1000, 200), new Sample(11 * S, 1100, 400),
                new Sample(12 * S, 1200, 600), new Sample(14 * S, 1200, 900), new Sample(16 * S, 1200, 1200));
        BacklogDrain d = PipelineProgress.drain(s, 10 * S, 32).orElseThrow();
        assertThat(d.messages()).isEqualTo(600);
        assertThat(d.seconds()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void awaitDrainedReturnsOnceTheEngineHasFinishedEverythingItQueued() throws Exception {
        // An engine with 30 messages queued that finishes 10 per reading.
        AtomicLong finished = new AtomicLong();
        try (PipelineProgress p = new PipelineProgress(
                () -> Optional.of(new PipelineCounters(30, Math.min(30, finished.getAndAdd(10)))))) {
            assertThat(p.awaitDrained(Duration.ofSeconds(10))).isTrue();
            assertThat(finished.get()).as("readings taken before it said drained").isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void awaitDrainedGivesUpWhenTheBacklogDoesNotFinish() throws Exception {
        try (PipelineProgress p = new PipelineProgress(() -> Optional.of(new PipelineCounters(30, 10)))) {
            assertThat(p.awaitDrained(Duration.ofMillis(400))).isFalse();
        }
    }
}
