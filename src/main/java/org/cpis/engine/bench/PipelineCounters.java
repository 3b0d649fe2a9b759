package org.cpis.engine.bench;

/**
 * A target's own counters: messages it accepted and queued, and messages whose processing has
 * ended (the engine's {@code intake.queued} and {@code attendance.finished}).
 */
public record PipelineCounters(long queued, long finished) {
}
