package org.cpis.engine.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the engine's counters since it started, as JSON ({@code {"counters": {...}}}),
 * e.g. {@code intake.queued} (messages ACKed AA and queued) and {@code attendance.finished}
 * (messages whose processing has ended). Counts only: nothing about any patient.
 */
public final class MetricsServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final transient Supplier<Map<String, Long>> counters;

    public MetricsServlet(Supplier<Map<String, Long>> counters) {
        this.counters = counters;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        JSON.writeValue(resp.getOutputStream(), Map.of("counters", new TreeMap<>(counters.get())));
    }
}
