package org.cpis.engine.flagstore;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.cpis.engine.nhs.NhsNumber;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The content rules every stored flag meets (issue 4 §4). Pure: the server answers 422 with the
 * problems, the CSV importer uses the same rules to reject rows before sending them.
 * Messages never carry the NHS number itself.
 */
public final class FlagRules {

    /** One broken rule: the FHIR element, the CSV reason code and a sentence for people. */
    public record Problem(String element, String reasonCode, String message) {
    }

    public static final String R_NHS_MISSING = "R01";
    public static final String R_NHS_INVALID = "R02";
    public static final String R_CODE_UNKNOWN = "R03";
    public static final String R_DATE_INVALID = "R04";
    public static final String R_END_BEFORE_START = "R05";
    public static final String R_DUE_DATE_MISSING = "R06";
    public static final String R_STATUS = "R07";
    public static final String R_AUTHOR = "R08";

    private FlagRules() {
    }

    public static List<Problem> check(Flag flag) {
        List<Problem> problems = new ArrayList<>();
        if (!flag.hasStatus()) {
            problems.add(new Problem("Flag.status", R_STATUS, "Flag.status is required (active | inactive | entered-in-error)"));
        }
        String code = snomedCode(flag);
        if (code == null || !FhirIds.FLAG_CODES.containsKey(code)) {
            problems.add(new Problem("Flag.code", R_CODE_UNKNOWN,
                    "Flag.code must be one of the SNOMED CT codes " + FhirIds.CODE_CPP + ", " + FhirIds.CODE_LAC
                            + ", " + FhirIds.CODE_UNBORN + " (system " + FhirIds.SNOMED + ")"));
        }
        if (!flag.getSubject().hasReference() || flag.getSubject().getIdentifier().hasValue()) {
            String nhs = nhsNumber(flag);
            if (nhs == null || nhs.isEmpty()) {
                problems.add(new Problem("Flag.subject.identifier", R_NHS_MISSING,
                        "Flag.subject.identifier must carry an NHS number (system " + FhirIds.NHS_NUMBER + ")"));
            } else if (!NhsNumber.isValid(nhs)) {
                problems.add(new Problem("Flag.subject.identifier", R_NHS_INVALID,
                        "Flag.subject.identifier is not a valid NHS number (10 digits, Modulus 11 check digit)"));
            }
        }
        LocalDate start = flag.getPeriod().hasStart() ? FlagVisibility.localDate(flag.getPeriod().getStartElement()) : null;
        LocalDate end = flag.getPeriod().hasEnd() ? FlagVisibility.localDate(flag.getPeriod().getEndElement()) : null;
        if (start != null && end != null && end.isBefore(start)) {
            problems.add(new Problem("Flag.period", R_END_BEFORE_START, "Flag.period.end is before Flag.period.start"));
        }
        if (FhirIds.CODE_UNBORN.equals(code) && FlagVisibility.dueDate(flag) == null) {
            problems.add(new Problem("Flag.extension", R_DUE_DATE_MISSING,
                    "an unborn-child flag needs the expected due date extension " + FhirIds.EXT_DUE_DATE));
        }
        return problems;
    }

    /** The SNOMED CT code of the flag, or null. */
    public static String snomedCode(Flag flag) {
        for (Coding c : flag.getCode().getCoding()) {
            if (FhirIds.SNOMED.equals(c.getSystem()) && c.hasCode()) {
                return c.getCode();
            }
        }
        return null;
    }

    /** The NHS number in Flag.subject.identifier (normalised), or null. */
    public static String nhsNumber(Flag flag) {
        Identifier id = flag.getSubject().getIdentifier();
        if (!id.hasValue() || (id.hasSystem() && !FhirIds.NHS_NUMBER.equals(id.getSystem()))) {
            return null;
        }
        return NhsNumber.normalise(id.getValue().trim());
    }

    /** The ODS code in Flag.author.identifier (upper case), or null. */
    public static String authorOds(Flag flag) {
        Identifier id = flag.getAuthor().getIdentifier();
        if (!id.hasValue() || (id.hasSystem() && !FhirIds.ODS_CODE.equals(id.getSystem()))) {
            return null;
        }
        return id.getValue().trim().toUpperCase(java.util.Locale.ROOT);
    }
}
