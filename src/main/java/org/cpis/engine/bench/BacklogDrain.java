package org.cpis.engine.bench;

/**
 * How fast the engine worked off a backlog while nothing was being sent: the pipeline's own
 * capacity, apart from the intake it shares two cores with during a run.
 *
 * @param afterConnections the closed-loop run whose backlog it was
 * @param messages         attendances finished from the moment intake stopped queuing until none was left
 * @param seconds          how long that took
 */
public record BacklogDrain(int afterConnections, long messages, double seconds) {

    public double rate() {
        return messages / seconds;
    }
}
