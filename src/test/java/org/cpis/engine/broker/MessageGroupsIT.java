package org.cpis.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.intake.IntakeHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-patient order rests on JMS message groups: the embedded broker must keep each group with one
 * consumer, in order, while tracking a bounded number of groups however many patients it has seen.
 */
class MessageGroupsIT {
    private static final String QUEUE = "cpis.test.groups";
    private static final int GROUPS = 3_000;
    private static final int PER_GROUP = 3;
    private static final int CONSUMERS = 4;

    @Test
    void eachGroupStaysWithOneConsumerInOrderAndTheBrokerTracksBucketsNotPatients(@TempDir Path dir) throws Exception {
        Properties p = new Properties();
        p.setProperty("cpis.data.dir", dir.toString());
        try (Broker broker = Broker.start(EngineConfig.load(p, Map.of()));
             Connection connection = broker.connectionFactory().createConnection()) {
            // Group -> the consumer and the sequence numbers it received, in arrival order.
            Map<String, List<String>> received = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(GROUPS * PER_GROUP);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            // Each consumer on its own session (closed with the connection), so four run at once.
            for (int c = 0; c < CONSUMERS; c++) {
                String name = "consumer-" + c;
                Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
                consumer.setMessageListener(m -> {
                    try {
                        received.computeIfAbsent(m.getStringProperty(IntakeHeaders.GROUP_ID), k -> new CopyOnWriteArrayList<>())
                                .add(name + ":" + m.getIntProperty("seq"));
                    } catch (JMSException e) {
                        failures.add(e);
                    }
                    all.countDown();
                });
            }
            connection.start();

            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = producerSession.createQueue(QUEUE);
            try (MessageProducer producer = producerSession.createProducer(queue)) {
                // Groups behave the same either way; not waiting for 9,000 disk syncs keeps the test short.
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                // Round by round, so each group's messages are spread through the queue among the others.
                for (int seq = 0; seq < PER_GROUP; seq++) {
                    for (int g = 0; g < GROUPS; g++) {
                        Message m = producerSession.createTextMessage("attendance");
                        m.setStringProperty(IntakeHeaders.GROUP_ID, "patient-" + g);
                        m.setIntProperty("seq", seq);
                        producer.send(m);
                    }
                }
            }

            assertThat(all.await(60, TimeUnit.SECONDS)).as("every message consumed within 60 s").isTrue();
            assertThat(failures).isEmpty();
            assertThat(received).hasSize(GROUPS);
            for (Map.Entry<String, List<String>> e : received.entrySet()) {
                List<String> got = e.getValue();
                String consumer = got.get(0).split(":")[0];
                assertThat(got).as(e.getKey())
                        .containsExactly(consumer + ":0", consumer + ":1", consumer + ":2");
            }
            long consumersUsed = received.values().stream().map(l -> l.get(0).split(":")[0]).distinct().count();
            assertThat(consumersUsed).as("groups spread over the consumers").isEqualTo(CONSUMERS);
            // Artemis' default kept one entry per group ever seen (3,000 here): the heap grew per patient.
            assertThat(broker.messageGroups(QUEUE)).isBetween(1, Broker.GROUP_BUCKETS);
        }
    }
}
