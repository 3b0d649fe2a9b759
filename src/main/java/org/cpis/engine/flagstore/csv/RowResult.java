package org.cpis.engine.flagstore.csv;

/** The outcome of one data row: where it was, which flag, accepted or rejected, and why. */
public record RowResult(int row, int line, String localId, String maskedNhs, boolean accepted, String code, String reason) {
    public RowResult with(boolean accepted, String code, String reason) {
        return new RowResult(row, line, localId, maskedNhs, accepted, code, reason);
    }
}
