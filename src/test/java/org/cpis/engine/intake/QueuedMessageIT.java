package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a queued ADT carries: the raw message and the properties a later stage reads, nothing
 * intake alone needs. The broker keeps every property in memory and in its journal, per message.
 */
class QueuedMessageIT {

    @Test
    void aQueuedAdtCarriesOnlyThePropertiesTheStagesRead(@TempDir Path dir) throws Exception {
        try (EngineFixture fx = EngineFixture.start(dir, Map.of("cpis.pipeline.enabled", "false"))) {
            String id = Hl7.controlId("QP");
            Ack ack = fx.send(Hl7.adt("2.4", "A04", id));
            assertThat(ack.code()).isEqualTo("AA");

            try (Connection c = fx.engine().broker().connectionFactory().createConnection();
                 Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = s.createBrowser(s.createQueue(FastLane.ROUTINE_QUEUE))) {
                c.start();
                List<?> queued = Collections.list((Enumeration<?>) browser.getEnumeration());
                assertThat(queued).hasSize(1);
                Message m = (Message) queued.get(0);
                List<String> names = Collections.list((Enumeration<?>) m.getPropertyNames()).stream().map(String::valueOf).toList();
                assertThat(names).filteredOn(n -> n.toLowerCase().startsWith("cpis"))
                        .containsExactlyInAnyOrder(IntakeHeaders.MESSAGE_ID, IntakeHeaders.CONTROL_ID,
                                IntakeHeaders.SENDING_APPLICATION, IntakeHeaders.SENDING_FACILITY, IntakeHeaders.EVENT,
                                IntakeHeaders.VERSION, IntakeHeaders.CHARSET, IntakeHeaders.RECEIVED_AT);
                assertThat(m.getStringProperty(IntakeHeaders.CONTROL_ID)).isEqualTo(id);
                assertThat(m.getStringProperty(IntakeHeaders.GROUP_ID)).isNotBlank();
            }
        }
    }
}
