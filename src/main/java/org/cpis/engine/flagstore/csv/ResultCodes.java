package org.cpis.engine.flagstore.csv;

/**
 * Result codes of a flag upload, in the manner of the national file and record response codes:
 * one file-level code (row 0 of the result file) and one code per data row.
 */
public final class ResultCodes {
    // File level
    public static final String F_ACCEPTED = "F00";            // every row accepted
    public static final String F_PARTLY = "F01";              // file processed; some rows rejected
    public static final String F_REJECTED = "F02";            // file not processed: unreadable, header wrong, or nothing valid to replace with
    public static final String F_UPLOAD_FAILED = "F03";       // the store refused or could not be reached; for --replace nothing changed

    // Row level: accepted
    public static final String A_CREATED = "A01";             // new flag stored
    public static final String A_UPDATED = "A02";             // existing flag (same local id) updated
    // Row level: rejected by the file check (codes shared with FlagRules)
    public static final String R_NHS_MISSING = "R01";
    public static final String R_NHS_INVALID = "R02";
    public static final String R_TYPE_UNKNOWN = "R03";
    public static final String R_DATE_INVALID = "R04";
    public static final String R_END_BEFORE_START = "R05";
    public static final String R_DUE_DATE_MISSING = "R06";
    public static final String R_LOCAL_ID_MISSING = "R10";
    public static final String R_DUPLICATE_LOCAL_ID = "R11";
    public static final String R_COLUMN_COUNT = "R12";
    // Row level: not stored for a reason outside the row
    public static final String R_STORE_REJECTED = "R90";      // the store answered 4xx for this row (reason has its message)
    public static final String R_NOT_SENT = "R91";            // upload stopped before this row was sent
    public static final String R_NOT_APPLIED = "R92";         // --replace failed as a whole; nothing changed

    private ResultCodes() {
    }
}
