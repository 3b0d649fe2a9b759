package org.cpis.engine.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cpis.engine.attendance.PatientIdentifier;

/**
 * One compiled rule of a field: where to read (a path, a repetition picked by {@code where:}, a
 * constant, or an earlier field), the functions to apply, and a final {@code when:} check. A field
 * holds an ordered list of rules; the first one that yields a value wins (fallbacks).
 */
public final class FieldRule {

    /** A value found by a rule, with the concrete place it came from. */
    public record Hit(String value, FieldSource source) {
    }

    /** Identifiers found by a list rule. */
    public record ListHit(List<PatientIdentifier> identifiers, FieldSource source) {
    }

    private final String name;
    private final String dialect;
    private final FieldPath path;
    private final String constant;
    private final TargetField from;
    private final Condition where;
    private final int component;
    private final int subcomponent;
    private final Condition when;
    private final List<MappingFunction> functions;
    private final boolean[] runsOnEmpty;

    FieldRule(String name, String dialect, FieldPath path, String constant, TargetField from, Condition where,
            int component, int subcomponent, Condition when, List<MappingFunction> functions,
            List<Boolean> runsOnEmpty) {
        this.name = name;
        this.dialect = dialect;
        this.path = path;
        this.constant = constant;
        this.from = from;
        this.where = where;
        this.component = component;
        this.subcomponent = subcomponent;
        this.when = when;
        this.functions = List.copyOf(functions);
        this.runsOnEmpty = new boolean[runsOnEmpty.size()];
        for (int i = 0; i < this.runsOnEmpty.length; i++) {
            this.runsOnEmpty[i] = runsOnEmpty.get(i);
        }
    }

    public String name() {
        return name;
    }

    public String dialect() {
        return dialect;
    }

    /** Runs the rule for a single-valued field; null when it yields nothing. */
    Hit evaluate(ParsedMessage msg, Map<TargetField, String> earlier) {
        if (constant != null) {
            return finish(msg, constant, null, 0, "value");
        }
        if (from != null) {
            return finish(msg, earlier.get(from), null, 0, "from:" + from.key());
        }
        if (where == null) {
            return finish(msg, msg.get(path), path, path.rep(), path.text());
        }
        int reps = msg.repetitions(path);
        for (int r = 0; r < reps; r++) {
            if (where.test(new Condition.Scope(msg, path, r, null))) {
                Hit h = finish(msg, msg.get(path, r, component, subcomponent), path, r,
                        path.describe(r, component, subcomponent));
                if (h != null) {
                    return h;
                }
            }
        }
        return null;
    }

    private Hit finish(ParsedMessage msg, String raw, FieldPath p, int rep, String where) {
        String v = applyFunctions(raw);
        if (v == null) {
            return null;
        }
        if (when != null && !when.test(new Condition.Scope(msg, p, rep, v))) {
            return null;
        }
        return new Hit(v, new FieldSource(dialect, name, where));
    }

    String applyFunctions(String raw) {
        String v = raw == null || raw.isEmpty() ? null : raw;
        for (int i = 0; i < runsOnEmpty.length; i++) {
            if (v != null || runsOnEmpty[i]) {
                v = functions.get(i).apply(v);
                if (v != null && v.isEmpty()) {
                    v = null;
                }
            }
        }
        return v;
    }

    /**
     * Runs the rule for an identifier list: every repetition of the CX field that passes
     * {@code where:} (all of them without one) and {@code when:}; the functions apply to CX.1.
     */
    ListHit evaluateList(ParsedMessage msg) {
        List<PatientIdentifier> out = new ArrayList<>();
        int reps = msg.repetitions(path);
        for (int r = 0; r < reps; r++) {
            if (where != null && !where.test(new Condition.Scope(msg, path, r, null))) {
                continue;
            }
            String v = applyFunctions(msg.get(path, r, component, subcomponent));
            if (v == null || (when != null && !when.test(new Condition.Scope(msg, path, r, v)))) {
                continue;
            }
            out.add(new PatientIdentifier(v, msg.get(path, r, 4, 1), msg.get(path, r, 5, 1)));
        }
        return out.isEmpty() ? null : new ListHit(out, new FieldSource(dialect, name, path.text()));
    }
}
