package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench's council receiver over real HTTP, and matching by visit number in either order. */
class CouncilReceiverIT {

    static GeneratedMessage flagged(String visit, AdtEvent e) {
        return new GeneratedMessage("BM" + visit, visit, "9434765919", true, e, Dialect.ITK_V24, new byte[0]);
    }

    @Test
    void matchesNotificationsToAckedVisitsWhicheverComesFirst() throws Exception {
        NotificationTracker tracker = new NotificationTracker(Set.of(AdtEvent.A04, AdtEvent.A01));
        HttpClient http = HttpClient.newHttpClient();
        try (CouncilReceiver receiver = new CouncilReceiver(tracker)) {
            URI uri = URI.create(receiver.baseUrl() + "/$process-message");
            tracker.accepted(flagged("BVT1X1", AdtEvent.A04), System.nanoTime());
            tracker.accepted(flagged("BVT1X2", AdtEvent.A01), System.nanoTime());
            tracker.accepted(flagged("BVT1X3", AdtEvent.A03), System.nanoTime()); // not a notifying event
            tracker.accepted(flagged("BVT1X4", AdtEvent.A04), System.nanoTime()); // never notified: lost

            HttpResponse<String> ok = post(http, uri, "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":["
                    + "{\"fullUrl\":\"urn:uuid:6f1e7f4e-0d7c-4c8e-9d43-2c1f0f3b9a11\",\"resource\":{\"resourceType\":"
                    + "\"MessageHeader\",\"id\":\"6f1e7f4e-0d7c-4c8e-9d43-2c1f0f3b9a11\",\"eventCoding\":{\"code\":\"x\"},"
                    + "\"source\":{\"endpoint\":\"urn:test\"}}},{\"resource\":"
                    + "{\"resourceType\":\"Encounter\",\"identifier\":[{\"value\":\"BVT1X1\"}]}}]}");
            assertThat(ok.statusCode()).isEqualTo(200);
            // The engine refuses an answer that names another message: the response names this one.
            assertThat(ok.body()).contains("\"code\":\"ok\"").contains("\"identifier\":\"6f1e7f4e-0d7c-4c8e-9d43-2c1f0f3b9a11\"");
            // the notification arrives before the bench has seen the ACK
            HttpResponse<String> notAMessage = post(http, uri, "{\"visit\":\"BVT1X5\"}");
            assertThat(notAMessage.statusCode()).as("no MessageHeader to answer").isEqualTo(400);
            tracker.accepted(flagged("BVT1X5", AdtEvent.A04), System.nanoTime());
            post(http, uri, "{\"visit\":\"BVT1X2\"}");
            post(http, uri, "{\"visit\":\"BVT1X2\"}"); // a duplicate
            post(http, uri, "{\"visit\":\"BVZZX9\"}"); // an unflagged patient's visit

            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(receiver.baseUrl() + "/Patient"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(404);
            assertThat(wrong.body()).contains("OperationOutcome");

            assertThat(tracker.awaitAll(Duration.ofMillis(200))).isFalse();
            NotificationTracker.Summary s = tracker.summary();
            assertThat(s.expected()).isEqualTo(4);
            assertThat(s.delivered()).isEqualTo(3);
            assertThat(s.lost()).isEqualTo(1);
            assertThat(s.unexpected()).isEqualTo(1);
            assertThat(s.duplicates()).isEqualTo(1);
            assertThat(s.posts()).isEqualTo(5);
            assertThat(tracker.lastArrivalNanos("T1")).isPresent();
            assertThat(tracker.lastArrivalNanos("Q")).isEmpty();
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
