package org.cpis.engine.bench;

import java.util.List;
import java.util.Optional;

/**
 * What one target did in a bench run.
 *
 * @param status        {@code measured}, or why it could not be (engine not started, ...)
 * @param closedLoop    one result per connection count
 * @param openLoop      the offered-rate run, when there was one
 * @param notifications matched notifications, when the target notifies
 * @param openLoopNotifications the same for the offered-rate run's messages only, when there was one
 * @param pipelineRate  attendances/s through the whole pipeline during the busiest closed-loop run
 * @param pipelineBasis how {@code pipelineRate} was measured (engine counters, or notifications)
 * @param drain         the largest closed-loop backlog worked off with intake idle, when one could be timed
 * @param memory        resident memory of the target's process, when it has its own
 * @param startSeconds  launch to MLLP port open (flag preload included), when measured
 */
public record TargetResult(String name, String status, List<RunResult> closedLoop, Optional<RunResult> openLoop,
                           Optional<NotificationTracker.Summary> notifications,
                           Optional<NotificationTracker.Summary> openLoopNotifications, Optional<Double> pipelineRate,
                           String pipelineBasis, Optional<BacklogDrain> drain, Optional<ProcessMemory> memory,
                           Optional<Double> startSeconds) {

    public boolean measured() {
        return "measured".equals(status);
    }

    /** The closed-loop result at {@code connections}, if that count was run. */
    public Optional<RunResult> at(int connections) {
        return closedLoop.stream().filter(r -> r.connections() == connections).findFirst();
    }

    /** A target that was not run or could not be measured; {@code status} says why. */
    public static TargetResult notRun(String name, String status) {
        return new TargetResult(name, status, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "", Optional.empty(), Optional.empty(), Optional.empty());
    }
}
