package org.cpis.engine.mapping;

import java.util.List;

/** The dialect set has faults; nothing from it is used. The message carries no patient data. */
public final class InvalidMappingsException extends Exception {

    private final transient List<MappingError> errors;

    public InvalidMappingsException(List<MappingError> errors) {
        super(errors.size() + " fault(s) in the mappings, first: " + errors.get(0));
        this.errors = List.copyOf(errors);
    }

    public List<MappingError> errors() {
        return errors;
    }
}
