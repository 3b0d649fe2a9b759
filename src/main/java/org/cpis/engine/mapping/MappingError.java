package org.cpis.engine.mapping;

/** One fault in a mapping file, printed as {@code file:line: what is wrong}. */
public record MappingError(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
