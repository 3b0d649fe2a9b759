package org.cpis.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsEndpoint;
import org.cpis.engine.broker.Broker;
import org.cpis.engine.pipeline.batch.BatchJmsEndpoint;
import org.cpis.engine.testing.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage consumer's JMS options, as the routes folder sets them, make a send inside the route
 * part of the message's transaction: when the route fails after its send, the send is rolled back
 * with the message taken, and only the successful redelivery's send arrives. Run on the real
 * embedded broker with a failure thrown by the test's own step.
 */
class StageTransactionIT {
    @TempDir
    static Path dir;
    static EngineFixture engine;

    @BeforeAll
    static void start() throws Exception {
        // Stages off: their routes exist (with their endpoints' options) but consume nothing.
        engine = EngineFixture.start(dir, Map.of("cpis.pipeline.enabled", "false", "cpis.broker.redelivery-delay", "100ms"));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aSendInsideAFailedStageIsRolledBackWithTheMessageTaken() throws Exception {
        CamelContext camel = engine.engine().camel();
        Broker broker = engine.engine().broker();
        List<Route> stages = camel.getRoutes().stream()
                .filter(r -> r.getEndpoint() instanceof JmsEndpoint || r.getEndpoint() instanceof BatchJmsEndpoint).toList();
        assertThat(stages).extracting(Route::getRouteId)
                .contains("map-attendance", "map-flagged-attendance", "lookup-flags", "deliver-notification");
        assertThat(stages).filteredOn(r -> r.getRouteId().equals("map-attendance"))
                .extracting(Route::getEndpoint).hasOnlyElementsOfType(BatchJmsEndpoint.class);

        for (Route stage : stages) {
            String queue = stage.getEndpoint() instanceof JmsEndpoint jms ? jms.getDestinationName()
                    : ((BatchJmsEndpoint) stage.getEndpoint()).getQueue();
            String in = "test.tx.in." + stage.getRouteId();
            String out = "test.tx.out." + stage.getRouteId();
            String uri = stage.getEndpoint().getEndpointUri().replace(queue, in);
            AtomicInteger attempts = new AtomicInteger();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("tx-check-" + stage.getRouteId())
                            .to("jms:queue:" + out)
                            .process(e -> {
                                if (attempts.incrementAndGet() == 1) {
                                    throw new IllegalStateException("first attempt fails after its send");
                                }
                            });
                }
            });
            camel.createProducerTemplate().sendBody("jms:queue:" + in, "payload");

            await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 2
                    && broker.messagesAdded(out) >= 1 && broker.messageCount(in) == 0);
            assertThat(broker.messagesAdded(out)).as("sends to %s by %s", out, stage.getRouteId()).isEqualTo(1);
            camel.getRouteController().stopRoute("tx-check-" + stage.getRouteId());
        }
    }
}
