package org.cpis.engine.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, validated set of dialects and the choice of one per message: exact selectors
 * first (both MSH-3 and MSH-4 before one of them), then pattern selectors in file-name order, then
 * the dialect named {@code default}.
 */
public final class DialectSet {

    public static final String DEFAULT = "default";

    private final Map<String, Dialect> byName;
    private final List<Dialect> exact = new ArrayList<>();
    private final List<Dialect> patterns = new ArrayList<>();
    private final Dialect fallback;

    public DialectSet(List<Dialect> dialects) {
        Map<String, Dialect> m = new LinkedHashMap<>();
        for (Dialect d : dialects) {
            m.put(d.name(), d);
            if (d.selector().usesPattern()) {
                patterns.add(d);
            } else if (!d.selector().isEmpty()) {
                exact.add(d);
            }
        }
        exact.sort(Comparator.comparingInt((Dialect d) -> -d.selector().specificity()).thenComparing(Dialect::name));
        patterns.sort(Comparator.comparing(Dialect::name));
        this.byName = java.util.Collections.unmodifiableMap(m);
        this.fallback = m.get(DEFAULT);
        if (fallback == null) {
            throw new IllegalArgumentException("a dialect set needs a dialect named default");
        }
    }

    /** The dialect for a sender. Never null: the default dialect catches everyone else. */
    public Dialect select(String sendingApplication, String sendingFacility) {
        for (Dialect d : exact) {
            if (d.selector().matches(sendingApplication, sendingFacility)) {
                return d;
            }
        }
        for (Dialect d : patterns) {
            if (d.selector().matches(sendingApplication, sendingFacility)) {
                return d;
            }
        }
        return fallback;
    }

    /** The dialect named {@code name}, or null. */
    public Dialect byName(String name) {
        return byName.get(name);
    }

    public Map<String, Dialect> all() {
        return byName;
    }
}
