package org.cpis.engine.bench;

import java.util.Optional;

/**
 * Something the bench sends ADT to over MLLP: the raw floor, or the engine. Start it, drive it on
 * {@link #mllpPort()}, read its memory, stop it.
 */
public interface BenchTarget extends AutoCloseable {

    /** Short name used in the report ({@code floor}, {@code engine}). */
    String name();

    /**
     * Starts the target and returns once its MLLP port takes messages. Flags are already loaded
     * when this returns, and, when {@link #notifies()}, notifications go to {@code councilEndpoint}.
     */
    void start(BenchContext context) throws Exception;

    int mllpPort();

    /** True when the target sends council notifications the bench should count. */
    boolean notifies();

    /** Resident memory of the target process, when it has its own process. */
    default Optional<ProcessMemory> memory() {
        return Optional.empty();
    }

    /** The target's own counters; empty when it has none (the floor, a stand-in engine). */
    default Optional<PipelineCounters> pipelineCounters() {
        return Optional.empty();
    }

    /** Stops the target; safe to call twice. */
    @Override
    void close() throws Exception;
}
