package org.cpis.engine.mapping;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.cpis.engine.nhs.NhsNumber;

/**
 * A test in a dialect ({@code where:} / {@code when:}). A closed set: leaf tests on one subject
 * (a message path, a component of the current repetition, or the rule's own value) and the
 * combinators {@code any}, {@code all}, {@code not}. No expressions.
 */
public sealed interface Condition {

    /** What a condition looks at while one rule runs. */
    record Scope(ParsedMessage message, FieldPath repeatingField, int repetition, String value) {
    }

    boolean test(Scope scope);

    /** Where a leaf test reads its subject. */
    sealed interface Subject {
        String read(Scope scope);
    }

    record PathSubject(FieldPath path) implements Subject {
        @Override
        public String read(Scope scope) {
            return scope.message().get(path);
        }
    }

    /** A component of the repetition being considered by a {@code where:} filter. */
    record ComponentSubject(int component, int subcomponent) implements Subject {
        @Override
        public String read(Scope scope) {
            return scope.message().get(scope.repeatingField(), scope.repetition(), component, subcomponent);
        }
    }

    /** The rule's value after its functions. */
    record ValueSubject() implements Subject {
        @Override
        public String read(Scope scope) {
            return scope.value();
        }
    }

    record Equals(Subject subject, Set<String> values) implements Condition {
        @Override
        public boolean test(Scope scope) {
            String v = subject.read(scope);
            return v != null && values.contains(v);
        }
    }

    record Matches(Subject subject, Pattern pattern) implements Condition {
        @Override
        public boolean test(Scope scope) {
            String v = subject.read(scope);
            return v != null && pattern.matcher(v).matches();
        }
    }

    record Present(Subject subject, boolean expected) implements Condition {
        @Override
        public boolean test(Scope scope) {
            String v = subject.read(scope);
            return (v != null && !v.isEmpty()) == expected;
        }
    }

    record ValidNhsNumber(Subject subject, boolean expected) implements Condition {
        @Override
        public boolean test(Scope scope) {
            return NhsNumber.isValid(NhsNumber.normalise(subject.read(scope))) == expected;
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        @Override
        public boolean test(Scope scope) {
            for (Condition c : conditions) {
                if (c.test(scope)) {
                    return true;
                }
            }
            return false;
        }
    }

    record All(List<Condition> conditions) implements Condition {
        @Override
        public boolean test(Scope scope) {
            for (Condition c : conditions) {
                if (!c.test(scope)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public boolean test(Scope scope) {
            return !condition.test(scope);
        }
    }
}
