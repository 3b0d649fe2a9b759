package org.cpis.engine.bench;

import java.time.LocalDate;

/**
 * One flag as a council export carries it: NHS number, flag kind (SNOMED CT), start date,
 * end date (empty while the plan runs) and the responsible council's ODS code.
 */
public record FlagRow(String nhsNumber, String kindCode, LocalDate start, LocalDate end, String councilOds) {

    /** Child Protection Plan. */
    public static final String CHILD_PROTECTION_PLAN = "342191000000101";
    /** Looked After Child. */
    public static final String LOOKED_AFTER_CHILD = "764841000000100";

    /** Header of the CSV layout written by {@link FlagSet#writeCsv}. */
    public static final String CSV_HEADER = "nhs_number,flag_code,start_date,end_date,council_ods";

    public String toCsv() {
        return nhsNumber + ',' + kindCode + ',' + start + ',' + (end == null ? "" : end.toString()) + ',' + councilOds;
    }
}
