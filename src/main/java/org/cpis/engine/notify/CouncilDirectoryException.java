package org.cpis.engine.notify;

/** A council directory file that cannot be used; the message names the file, the line and the fault. */
public class CouncilDirectoryException extends RuntimeException {
    private final int line;

    public CouncilDirectoryException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.line = line;
    }

    /** 1-based line of the fault, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
