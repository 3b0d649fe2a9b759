package org.cpis.engine.bench;

/**
 * Puts the bench's flags into the flag store before load starts. The engine target passes a CSV
 * file to the engine it launches; an in-process store can take {@link FlagSet#rows()} in bulk.
 */
@FunctionalInterface
public interface FlagLoader {

    void load(FlagSet flags) throws Exception;

    /** For targets without a flag store (the raw MLLP floor). */
    static FlagLoader none() {
        return flags -> { };
    }
}
