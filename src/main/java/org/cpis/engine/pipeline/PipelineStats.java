package org.cpis.engine.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the processing stages decided: mapped, filtered, not looked up (and why),
 * matched, notified. No identifying data is kept for attendances without a flag, only counts.
 */
public final class PipelineStats {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }
}
