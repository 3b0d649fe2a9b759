package org.cpis.engine.intake;

import java.sql.SQLException;
import org.apache.camel.Exchange;

/**
 * The processing stage until the attendance mapping takes over: records that the message left
 * the queue and was processed.
 */
public final class ProcessAdt {
    private final ReceivedMessages received;

    public ProcessAdt(ReceivedMessages received) {
        this.received = received;
    }

    public void process(Exchange exchange) throws SQLException {
        received.finish(exchange.getMessage().getHeader(IntakeHeaders.MESSAGE_ID, String.class), "processed", "received");
    }
}
