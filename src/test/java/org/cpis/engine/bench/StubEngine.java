package org.cpis.engine.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.hl7.HL7MLLPNettyDecoderFactory;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A stand-in for the engine, launched by {@link EngineProcessTarget} as its own JVM in tests: it
 * honours the launcher's properties (MLLP port, flag preload file, council endpoint), ACKs like the
 * floor, and posts a notification naming the visit for every flagged NHS number.
 * {@code stub.drop-every=N} skips every N-th notification, so the bench's lost count can be checked.
 */
public final class StubEngine {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getProperty("cpis.mllp.port"));
        String stubDir = System.getProperty("stub.dir");
        if (stubDir != null) {
            // What the launcher put in this process's environment, for the test to check.
            Files.writeString(Path.of(stubDir, "malloc-arena-max"), String.valueOf(System.getenv("MALLOC_ARENA_MAX")));
            Files.writeString(Path.of(stubDir, "collectors"), String.join(",", ManagementFactory.getGarbageCollectorMXBeans()
                    .stream().map(GarbageCollectorMXBean::getName).toList()));
        }
        String endpoint = System.getProperty(EngineProcessTarget.COUNCIL_ENDPOINT_KEY) + "/$process-message";
        long dropEvery = Long.getLong("stub.drop-every", 0L);
        Set<String> flagged = new HashSet<>();
        for (String line : Files.readAllLines(Path.of(System.getProperty(EngineProcessTarget.PRELOAD_KEY)))) {
            if (!line.startsWith("nhs_number")) {
                flagged.add(line.substring(0, line.indexOf(',')));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong notifications = new AtomicLong();
        FloorAckProcessor ack = new FloorAckProcessor();
        HL7MLLPNettyDecoderFactory decoder = new HL7MLLPNettyDecoderFactory();
        decoder.setConvertLFtoCR(true);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("dec", decoder);
        camel.getRegistry().bind("enc", new HL7MLLPNettyEncoderFactory());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("netty:tcp://127.0.0.1:" + port + "?sync=true&decoders=#dec&encoders=#enc").process(ex -> {
                    String body = ex.getMessage().getBody(String.class);
                    ex.getMessage().setBody(ack.ack(body));
                    if (isFlagged(body, flagged) && (dropEvery == 0 || notifications.incrementAndGet() % dropEvery != 0)) {
                        Matcher m = CouncilReceiver.VISIT.matcher(body);
                        if (m.find()) {
                            String json = "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":"
                                    + "{\"resourceType\":\"Encounter\",\"identifier\":[{\"value\":\"" + m.group() + "\"}]}}]}";
                            http.sendAsync(HttpRequest.newBuilder(URI.create(endpoint))
                                    .header("Content-Type", "application/fhir+json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                        }
                    }
                });
            }
        });
        camel.start();
        new CountDownLatch(1).await();
    }

    /** Any ten-digit field or component that is in the flag set (every dialect puts it somewhere). */
    static boolean isFlagged(String body, Set<String> flagged) {
        for (String token : body.split("[|^~\r\n]")) {
            if (token.length() == 10 && flagged.contains(token)) {
                return true;
            }
        }
        return false;
    }
}
