package org.cpis.engine.mapping;

/** One step of a rule's {@code apply:} list. Gets the value so far (never empty-string: null). */
@FunctionalInterface
public interface MappingFunction {

    /** Returns the new value; null means empty, and the rule then yields nothing. */
    String apply(String value);
}
