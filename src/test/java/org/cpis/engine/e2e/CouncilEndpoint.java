package org.cpis.engine.e2e;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.notify.NotificationValidator;
import org.cpis.engine.notify.receiver.CouncilReceiverServlet;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import org.cpis.engine.testing.EngineFixture;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A council's FHIR endpoint run by the test: the reference council receiver on its own HTTP server and
 * fixed port, so a test can take it down and bring it back. What it received survives a restart. It
 * validates each message before keeping it, so every kept Bundle passed the R4 validator.
 */
final class CouncilEndpoint implements AutoCloseable {
    private final int port = EngineFixture.freePort();
    private final ReceivedMessages store = new ReceivedMessages(NotificationValidator.shared().fhirContext(), null);
    private final String requiredToken;
    private volatile CountDownLatch holdFirst;
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final AtomicBoolean held = new AtomicBoolean();
    private HttpServer server;

    /** @param requiredToken bearer token the receiver asks for, or null */
    CouncilEndpoint(String requiredToken) {
        this.requiredToken = requiredToken;
    }

    /** The first POST waits (connection open, no answer) until {@link #releaseFirst()}. */
    CouncilEndpoint holdingFirstPost() {
        holdFirst = new CountDownLatch(1);
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    synchronized CouncilEndpoint start() throws Exception {
        CouncilReceiverServlet receiver = new CouncilReceiverServlet(NotificationValidator.shared(), store, requiredToken, baseUrl());
        server = new HttpServer("127.0.0.1", port, 16);
        server.mount("/fhir/*", new Holding(receiver));
        server.start();
        return this;
    }

    synchronized void stop() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    boolean awaitFirstPost(long seconds) throws InterruptedException {
        return firstArrived.await(seconds, TimeUnit.SECONDS);
    }

    void releaseFirst() {
        if (holdFirst != null) {
            holdFirst.countDown();
        }
    }

    List<ReceivedMessages.Received> received() {
        return store.all();
    }

    int deliveries(String notificationId) {
        return store.deliveries(notificationId);
    }

    /** Every Bundle kept whose Patient carries this NHS number. */
    List<Bundle> bundlesFor(String nhs) {
        return store.all().stream().map(ReceivedMessages.Received::bundle)
                .filter(b -> E2e.nhsNumberOf(b).equals(nhs)).toList();
    }

    @Override
    public void close() throws Exception {
        releaseFirst();
        stop();
    }

    /** Passes every request to the receiver, except that it may hold the first POST open. */
    private final class Holding extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CouncilReceiverServlet inner;

        Holding(CouncilReceiverServlet inner) {
            this.inner = inner;
        }

        @Override
        public void init(ServletConfig config) throws ServletException {
            super.init(config);
            inner.init(config);
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
            if ("POST".equals(req.getMethod()) && holdFirst != null && held.compareAndSet(false, true)) {
                firstArrived.countDown();
                try {
                    holdFirst.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inner.service(req, resp);
        }

        @Override
        public void destroy() {
            inner.destroy();
        }
    }
}
