package org.cpis.engine.mapping;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A compiled, fully resolved dialect (its {@code extends:} chain already merged in): immutable,
 * shared by every mapping thread.
 *
 * @param name file name without .yaml
 * @param file where it was read from, for messages
 * @param description free text
 * @param selector which senders it is for
 * @param zone time zone for times sent without an offset
 * @param rules attendance and NHS number rules
 * @param fields the rules of each attendance field, in fallback order
 */
public record Dialect(String name, String file, String description, DialectSelector selector, ZoneId zone,
        DialectRules rules, Map<TargetField, List<FieldRule>> fields) {

    public Dialect {
        fields = Map.copyOf(fields);
    }

    public List<FieldRule> rulesFor(TargetField f) {
        return fields.getOrDefault(f, List.of());
    }
}
