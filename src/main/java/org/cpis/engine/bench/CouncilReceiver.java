package org.cpis.engine.bench;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cpis.engine.delivery.FhirMessageSender;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;

/**
 * The bench's council: a FHIR {@code $process-message} endpoint on loopback that answers
 * "ok" and tells the {@link NotificationTracker} which visits each notification names. It does not
 * care how the notification is shaped: it finds the bench's visit numbers anywhere in the body.
 */
public final class CouncilReceiver implements AutoCloseable {

    /** Visit numbers made by {@link WorkloadStream}: BV + stream tag + X + sequence. */
    static final Pattern VISIT = Pattern.compile(WorkloadStream.VISIT_PREFIX + "[0-9A-Z]{1,8}X[0-9]+");

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final HttpServer server;
    private final ExecutorService executor;
    private final NotificationTracker tracker;

    public CouncilReceiver(NotificationTracker tracker) throws IOException {
        this.tracker = tracker;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-council");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        // HAPI builds its model on the first parse: seconds on a busy machine, during which every
        // delivery would wait on this receiver and count as the engine's latency.
        requestHeaderId(FHIR.newJsonParser().encodeResourceToString(new Bundle().addEntry(
                new Bundle.BundleEntryComponent().setResource(new MessageHeader()))));
        server.start();
    }

    /** Base URL; the engine posts to {@code baseUrl() + "/$process-message"}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod()) || !ex.getRequestURI().getPath().endsWith("$process-message")) {
                respond(ex, 404, outcome("error", "not-found", "only POST [base]/$process-message is served here"));
                return;
            }
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long now = System.nanoTime();
            tracker.posted();
            Set<String> named = new HashSet<>(2);
            Matcher m = VISIT.matcher(body);
            while (m.find()) {
                named.add(m.group());
            }
            for (String visit : named) {
                tracker.arrived(visit, now);
            }
            String requestId = requestHeaderId(body);
            if (requestId == null) {
                respond(ex, 400, outcome("error", "invalid", "no Bundle.entry[0] MessageHeader with an id"));
                return;
            }
            respond(ex, 200, okResponse(requestId));
        }
    }

    /**
     * The request's MessageHeader id, which the response must name (the engine refuses an answer to
     * another message). HAPI parses the body, as a council would: notifications are 1% of the load.
     */
    private static String requestHeaderId(String body) {
        try {
            if (FHIR.newJsonParser().parseResource(body) instanceof Bundle b && b.hasEntry()
                    && b.getEntryFirstRep().getResource() instanceof MessageHeader h) {
                return FhirMessageSender.messageHeaderId(h);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A message-response Bundle with MessageHeader.response.code = ok, answering {@code requestId}. */
    private static String okResponse(String requestId) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"fullUrl\":\"urn:uuid:" + UUID.randomUUID()
                + "\",\"resource\":{\"resourceType\":\"MessageHeader\",\"eventCoding\":{\"code\":\"attendance-notification\"},"
                + "\"source\":{\"endpoint\":\"urn:bench:council\"},\"response\":{\"identifier\":\"" + requestId
                + "\",\"code\":\"ok\"}}}]}";
    }

    private static String outcome(String severity, String code, String text) {
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"" + severity + "\",\"code\":\"" + code
                + "\",\"diagnostics\":\"" + text + "\"}]}";
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
