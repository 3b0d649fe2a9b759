package org.cpis.engine.pipeline;

import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.cpis.engine.intake.ReceivedMessages;

/** Bean {@code stageRecorder}: writes a stage's outcome on the received-message record. */
public final class StageRecorder {
    private final ReceivedMessages received;

    public StageRecorder(ReceivedMessages received) {
        this.received = received;
    }

    public void record(Exchange exchange) throws SQLException {
        if (exchange.getProperty(StageHeaders.STATUS) != null) {
            AttendanceStage.record(exchange, received);
        }
    }
}
