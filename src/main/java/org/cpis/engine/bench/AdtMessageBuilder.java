package org.cpis.engine.bench;

/**
 * Builds ADT messages as text for each {@link Dialect}. Everything is assembled in memory; field
 * positions follow HL7 v2 (PID-32 identity reliability, PV1-19 visit number, PV1-44 admit time).
 */
final class AdtMessageBuilder {

    static final String SITE = "RX1CC";
    static final String TRUST = "RX1";
    static final String SITE_NAME = "Test General Hospital ED";

    private static final String[] FAMILY = {"TESTPATIENT", "EXAMPLE", "SAMPLE", "DUMMY", "FICTION", "MOCKSON"};
    private static final String[] GIVEN = {"ALEX", "SAM", "CHARLIE", "JO", "RILEY", "JAMIE", "MORGAN"};

    private AdtMessageBuilder() {
    }

    /**
     * @param ts         HL7 timestamp (yyyyMMddHHmmss) used for MSH-7, EVN-2 and PV1-44
     * @param patientIdx stable patient index, used for the local MRN, name and birth date
     */
    static String build(Dialect d, AdtEvent e, String nhs, int patientIdx, String controlId, String visit, String ts) {
        String mrn = "L" + (10_000_000 + patientIdx);
        String name = FAMILY[patientIdx % FAMILY.length] + "^" + GIVEN[(patientIdx / 7) % GIVEN.length];
        // Children mostly: born 2008-2025; unborn-child flags are held on adults, not modelled here.
        String dob = Integer.toString(2008 + patientIdx % 18) + pad2(1 + patientIdx % 12) + pad2(1 + patientIdx % 28);
        String sex = (patientIdx & 1) == 0 ? "F" : "M";
        StringBuilder sb = new StringBuilder(640);
        switch (d) {
            case ITK_V24 -> {
                String sep = "\r";
                sb.append("MSH|^~\\&|SYMPHONY|").append(TRUST).append("|CPIS|CPIS|").append(ts).append("||ADT^")
                        .append(e).append('^').append(structure(e)).append('|').append(controlId).append("|P|2.4|||AL|NE|GBR|UNICODE UTF-8").append(sep);
                sb.append("EVN|").append(e).append('|').append(ts).append("|||||").append(SITE).append(sep);
                sb.append("PID|1||").append(mrn).append("^^^").append(TRUST).append("^MR~").append(nhs)
                        .append("^^^NHS^NH||").append(name).append("^^^^^L||").append(dob).append('|').append(sex)
                        .append("|||1 Test Street^^Testtown^^TE1 1ST^GBR^H").append("|".repeat(21)).append("01").append(sep);
                sb.append("PD1|||TEST SURGERY^^Y00001").append(sep);
                appendPv1(sb, e, "ED^CUBICLE^1^" + SITE + "^^^^^" + SITE_NAME + "^^" + TRUST, visit, ts);
                sb.append(sep);
                sb.append("ZU1|").append(ts).append("|ED").append(sep);
            }
            case V23_PID2_LF -> {
                String sep = "\n";
                sb.append("MSH|^~\\&|CASCARD|").append(TRUST).append("|CPIS|CPIS|").append(ts).append("||ADT^")
                        .append(e).append('|').append(controlId).append("|P|2.3|||AL|NE").append(sep);
                sb.append("EVN|").append(e).append('|').append(ts).append(sep);
                sb.append("PID|1|").append(nhs).append('|').append(mrn).append("^^^").append(TRUST).append("^MR||")
                        .append(name).append("||").append(dob).append('|').append(sex)
                        .append("|||1 Test Street^^Testtown^^TE1 1ST").append("|".repeat(21)).append("01").append(sep);
                appendPv1(sb, e, "ED^MAJORS^^" + SITE + "^^^^^" + SITE_NAME + "^^" + TRUST, visit, ts);
                sb.append(sep);
            }
            case V251_NH_MSH4 -> {
                String sep = "\r";
                sb.append("MSH|^~\\&|FIRSTNET|").append(SITE).append("|CPIS|CPIS|").append(ts).append("||ADT^")
                        .append(e).append('^').append(structure(e)).append('|').append(controlId).append("|P|2.5.1|||AL|NE|GBR|UNICODE UTF-8").append(sep);
                sb.append("EVN||").append(ts).append("||||").append(ts).append(sep);
                sb.append("PID|1||").append(mrn).append("^^^^MR~").append(nhs).append("^^^^NH||")
                        .append(name).append("||").append(dob).append('|').append(sex)
                        .append("|||1 Test Street^^Testtown^^TE1 1ST^GBR").append("|".repeat(21)).append("NSTS01").append(sep);
                appendPv1(sb, e, "ED^BAY1^1", visit, ts);
                sb.append(sep);
            }
            default -> throw new IllegalArgumentException(String.valueOf(d));
        }
        return sb.toString();
    }

    /** PV1 with class E, location, visit number in PV1-19 and admit time in PV1-44 (A03 adds PV1-45). */
    private static void appendPv1(StringBuilder sb, AdtEvent e, String location, String visit, String ts) {
        sb.append("PV1|1|").append(e == AdtEvent.A01 ? "I" : "E").append('|').append(location);
        // PV1-4 .. PV1-18 empty, PV1-19 visit number
        sb.append("|".repeat(16)).append(visit);
        // PV1-20 .. PV1-43 empty, PV1-44 admit time
        sb.append("|".repeat(25)).append(ts);
        if (e == AdtEvent.A03) {
            sb.append('|').append(ts);
        }
    }

    /** HL7 v2.4+ message structure: A03 has its own, A01/A04/A08 share ADT_A01. */
    private static String structure(AdtEvent e) {
        return e == AdtEvent.A03 ? "ADT_A03" : "ADT_A01";
    }

    private static String pad2(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
