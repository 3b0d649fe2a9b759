package org.cpis.engine.flagstore.store;

import java.util.ArrayList;
import java.util.List;

/** A WHERE clause built from search parameters: SQL fragments joined by AND, and their bind values. */
public final class Where {
    private final List<String> clauses = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    public Where and(String clause, Object... values) {
        clauses.add("(" + clause + ")");
        params.addAll(java.util.Arrays.asList(values));
        return this;
    }

    /** Several alternatives (comma-separated values) OR-ed into one clause. */
    public Where anyOf(List<String> alternatives, List<Object> values) {
        if (alternatives.isEmpty()) {
            return and("1=0");
        }
        clauses.add("(" + String.join(" OR ", alternatives) + ")");
        params.addAll(values);
        return this;
    }

    public String sql() {
        return clauses.isEmpty() ? "1=1" : String.join(" AND ", clauses);
    }

    public List<Object> params() {
        return params;
    }
}
