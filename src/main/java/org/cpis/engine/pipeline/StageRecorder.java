package org.cpis.engine.pipeline;

import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.cpis.engine.intake.ReceivedMessages;

/** Bean {@code stageRecorder}: writes a stage's outcome on the received-message record. */
public final class StageRecorder {
    private final ReceivedMessages received;
    private final PipelineStats stats;

    public StageRecorder(ReceivedMessages received, PipelineStats stats) {
        this.received = received;
        this.stats = stats;
    }

    public void record(Exchange exchange) throws SQLException {
        String status = exchange.getProperty(StageHeaders.STATUS, String.class);
        if (status != null) {
            AttendanceStage.record(exchange, received);
            if (ReceivedMessages.isFinal(status)) {
                stats.count("attendance.finished");
            }
        }
    }
}
