package org.cpis.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cpis.engine.delivery.FatalDeliveryException;
import org.cpis.engine.delivery.FhirEndpoint;
import org.cpis.engine.delivery.FhirMessageSender;
import org.cpis.engine.notify.NotificationFixtures;
import org.cpis.engine.notify.SharedValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cpis-engine council-receiver}, run through the real command line, on a real port. */
class CouncilReceiverCommandIT {
    private static final FhirContext CTX = FhirContext.forR4Cached();

    @Test
    void receivesKeepsAndListsMessagesThenStops(@TempDir Path dir) throws Exception {
        SharedValidator.get(); // warm, so the command does not spend the test's time loading FHIR core
        int port = freePort();
        Path store = dir.resolve("received");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = new Thread(() -> exit.set(CpisEngine.execute("council-receiver", "--port", String.valueOf(port),
                "--host", "127.0.0.1", "--store", store.toString())), "council-receiver-under-test");
        t.start();
        String base = "http://127.0.0.1:" + port + "/council-receiver/fhir";
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create(base + "/Bundle")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200);

        FhirMessageSender sender = new FhirMessageSender(CTX);
        Bundle msg = NotificationFixtures.allMessages().get(4);
        assertThat(sender.send(FhirEndpoint.of(base), msg).httpStatus()).isEqualTo(200);
        assertThat(sender.send(FhirEndpoint.of(base), msg).httpStatus()).isEqualTo(200);

        try (Stream<Path> files = Files.list(store)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("000001-n-lac-1.json", "000002-n-lac-1.json");
        }
        Bundle second = CTX.newJsonParser().parseResource(Bundle.class, Files.readString(store.resolve("000002-n-lac-1.json")));
        assertThat(second.getMeta().getTag()).anyMatch(c -> "duplicate".equals(c.getCode()));

        String list = http.send(HttpRequest.newBuilder(URI.create(base + "/Bundle")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Bundle searchset = CTX.newJsonParser().parseResource(Bundle.class, list);
        assertThat(searchset.getEntry()).hasSize(2);

        Bundle broken = NotificationFixtures.allMessages().get(0);
        broken.getEntry().remove(1);
        try {
            sender.send(FhirEndpoint.of(base), broken);
            throw new AssertionError("an invalid message was accepted");
        } catch (FatalDeliveryException e) {
            assertThat(e.getMessage()).contains("HTTP 422");
        }

        t.interrupt();
        t.join(Duration.ofSeconds(20).toMillis());
        assertThat(t.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(canConnect(port)).isFalse();
    }

    @Test
    void badArgumentsGiveAClearExitCode(@TempDir Path dir) throws Exception {
        assertThat(CpisEngine.execute("council-receiver", "--port", "eighty")).isEqualTo(2);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(CpisEngine.execute("council-receiver", "--port", "0", "--store", file.toString())).isEqualTo(1);
        assertThat(CpisEngine.execute("council-receiver", "--port", "0", "--bearer-token-file", dir.resolve("nope").toString()))
                .isEqualTo(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
