package org.cpis.engine.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.cpis.engine.broker.Broker;
import org.cpis.engine.db.GroupCommit;
import org.cpis.engine.testing.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch consumer on the engine's real broker and database: a backlog is taken in batches (far
 * fewer database commits than messages), every message is processed and its deferred write and
 * its send committed exactly once, and a message that fails rolls back its batch without losing or
 * repeating any neighbour, then fails alone.
 */
class BatchJmsConsumerIT {
    @TempDir
    static Path dir;
    static EngineFixture engine;

    @BeforeAll
    static void start() throws Exception {
        engine = EngineFixture.start(dir, Map.of("cpis.pipeline.enabled", "false", "cpis.broker.redelivery-delay", "100ms"));
        try (Connection c = engine.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE batch_probe (queue VARCHAR(40), body VARCHAR(40), PRIMARY KEY (queue, body))");
        }
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    /** A route like a stage's: a send to {@code out}, then a write deferred to the batch's commit. */
    private static void addRoute(CamelContext camel, String in, String out, Set<String> failAlways) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms-batch:" + in + "?consumers=2&batchSize=32").routeId("batch-" + in)
                        .to("jms:queue:" + out)
                        .process(e -> defer(e, in))
                        .process(e -> {
                            if (failAlways.contains(e.getMessage().getBody(String.class))) {
                                throw new IllegalStateException("this message always fails");
                            }
                        });
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void defer(Exchange e, String queue) {
        String body = e.getMessage().getBody(String.class);
        List<GroupCommit.Work> writes = e.getProperty(GroupCommit.DEFERRED_WRITES, List.class);
        assertThat(writes).as("the batch consumer's deferred-write list").isNotNull();
        writes.add(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_probe (queue, body) VALUES (?, ?)")) {
                ps.setString(1, queue);
                ps.setString(2, body);
                ps.executeUpdate();
            }
        });
    }

    private static void fill(String queue, int n) {
        ProducerTemplate p = engine.engine().camel().createProducerTemplate();
        for (int i = 0; i < n; i++) {
            p.sendBody("jms:queue:" + queue, "m" + i);
        }
    }

    private static long probeRows(String queue) {
        return engine.queryLong("SELECT COUNT(*) FROM batch_probe WHERE queue = ?", queue);
    }

    @Test
    void aBacklogIsTakenInBatchesAndEveryMessageCommitsOnce() throws Exception {
        CamelContext camel = engine.engine().camel();
        Broker broker = engine.engine().broker();
        GroupCommit commits = engine.engine().database().groupCommit();
        fill("cpis.test.batch.in", 500);
        long commitsBefore = commits.commits();

        addRoute(camel, "cpis.test.batch.in", "cpis.test.batch.out", Set.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> broker.messageCount("cpis.test.batch.in") == 0
                && probeRows("cpis.test.batch.in") == 500);
        assertThat(broker.messagesAdded("cpis.test.batch.out")).as("sends made in the batches").isEqualTo(500);
        assertThat(engine.queryLong("SELECT COUNT(DISTINCT body) FROM batch_probe WHERE queue = ?", "cpis.test.batch.in"))
                .isEqualTo(500);
        long batchCommits = commits.commits() - commitsBefore;
        assertThat(batchCommits).as("database commits for 500 messages queued before the consumer started")
                .isLessThanOrEqualTo(100);
        camel.getRouteController().stopRoute("batch-cpis.test.batch.in");
    }

    @Test
    void aFailingMessageRollsBackItsBatchThenFailsAloneWhileEveryOtherMessageCompletesOnce() throws Exception {
        CamelContext camel = engine.engine().camel();
        Broker broker = engine.engine().broker();
        fill("cpis.test.poison.in", 200);

        addRoute(camel, "cpis.test.poison.in", "cpis.test.poison.out", Set.of("m57"));

        await().atMost(Duration.ofSeconds(60)).until(() -> probeRows("cpis.test.poison.in") == 199
                && broker.messageCount("cpis.test.poison.in") == 1);
        assertThat(engine.queryLong("SELECT COUNT(*) FROM batch_probe WHERE queue = ? AND body = 'm57'", "cpis.test.poison.in"))
                .as("the failing message's deferred write").isZero();
        // Sends of rolled-back batches are rolled back too: once the failing message is alone, only
        // its neighbours' successful sends remain, each once.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        var consumer = camel.createConsumerTemplate();
        Object body;
        long copies = 0;
        while ((body = consumer.receiveBody("jms:queue:cpis.test.poison.out", 2000)) != null) {
            seen.add(body.toString());
            copies++;
        }
        assertThat(seen).hasSize(199).doesNotContain("m57");
        assertThat(copies).as("sends that reached the queue").isEqualTo(199);
        camel.getRouteController().stopRoute("batch-cpis.test.poison.in");
        assertThat(broker.messageCount("cpis.test.poison.in")).as("the failing message is kept, not dropped").isEqualTo(1);
    }
}
