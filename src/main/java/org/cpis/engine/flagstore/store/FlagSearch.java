package org.cpis.engine.flagstore.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagVisibility;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.nhs.NhsNumber;

/** Turns Flag search parameters into SQL on {@code fs_flag}, with the caller's scope applied. */
public final class FlagSearch {
    public static final String SUPPORTED = "_id, identifier, patient, patient:identifier, patient.identifier, "
            + "subject (same forms), status, code, author, author:identifier, author.identifier, date, _lastUpdated, "
            + "_count, _include=Flag:author";

    private FlagSearch() {
    }

    public static Where where(SearchParams sp, Caller caller, FlagVisibility vis, LocalDate today) {
        Where w = new Where();
        if (caller.isCouncil()) {
            w.and("council_ods = ?", caller.ods());
        }
        for (SearchParams.Param p : sp.params()) {
            switch (p.name()) {
                case "_id" -> ids(w, p, "id");
                case "identifier" -> {
                    noModifier(p);
                    tokens(w, p, (t, alts, vals) -> {
                        if (t.system() == null) {
                            alts.add("ident_value = ?");
                            vals.add(t.code());
                        } else {
                            alts.add("(ident_system = ? AND ident_value = ?)");
                            vals.add(t.system());
                            vals.add(t.code());
                        }
                    });
                }
                case "patient", "subject" -> {
                    if (isIdentifierForm(p)) {
                        tokens(w, p, (t, alts, vals) -> {
                            if (t.system() == null || FhirIds.NHS_NUMBER.equals(t.system())) {
                                alts.add("nhs_number = ?");
                                vals.add(NhsNumber.normalise(t.code()));
                            }
                        });
                    } else {
                        noModifier(p);
                        ids(w, p, "patient_id");
                    }
                }
                case "author" -> {
                    if (isIdentifierForm(p)) {
                        tokens(w, p, (t, alts, vals) -> {
                            if (t.system() == null || FhirIds.ODS_CODE.equals(t.system())) {
                                alts.add("council_ods = ?");
                                vals.add(t.code().trim().toUpperCase(Locale.ROOT));
                            }
                        });
                    } else {
                        noModifier(p);
                        ids(w, p, "org_id");
                    }
                }
                case "code" -> {
                    noModifier(p);
                    tokens(w, p, (t, alts, vals) -> {
                        if (t.system() == null || FhirIds.SNOMED.equals(t.system())) {
                            alts.add("code = ?");
                            vals.add(t.code());
                        }
                    });
                }
                case "status" -> {
                    noModifier(p);
                    List<String> alts = new ArrayList<>();
                    List<Object> vals = new ArrayList<>();
                    for (String v : p.values()) {
                        switch (SearchParams.Token.parse(v).code()) {
                            case "active" -> alts.add(visibleSql(vis, today, vals));
                            case "inactive" -> alts.add("status <> 'entered-in-error' AND NOT ("
                                    + visibleSql(vis, today, vals) + ")");
                            case "entered-in-error" -> alts.add("status = 'entered-in-error'");
                            default -> throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                                    "status must be active, inactive or entered-in-error");
                        }
                    }
                    w.anyOf(alts, vals);
                }
                case "date" -> {
                    noModifier(p);
                    List<String> alts = new ArrayList<>();
                    List<Object> vals = new ArrayList<>();
                    for (String v : p.values()) {
                        SearchParams.DateValue d = SearchParams.DateValue.parse(v);
                        LocalDate day = d.date();
                        switch (d.prefix()) {
                            case "ge" -> { alts.add("period_end IS NULL OR period_end >= ?"); vals.add(day); }
                            case "gt" -> { alts.add("period_end IS NULL OR period_end > ?"); vals.add(day); }
                            case "le" -> { alts.add("period_start IS NULL OR period_start <= ?"); vals.add(day); }
                            case "lt" -> { alts.add("period_start IS NULL OR period_start < ?"); vals.add(day); }
                            default -> {
                                alts.add("(period_start IS NULL OR period_start <= ?) AND (period_end IS NULL OR period_end >= ?)");
                                vals.add(day);
                                vals.add(day);
                            }
                        }
                    }
                    w.anyOf(alts, vals);
                }
                case "_lastUpdated" -> lastUpdated(w, p);
                default -> throw SearchParams.unknown("Flag", p, SUPPORTED);
            }
        }
        return w;
    }

    /** The visibility rule of {@link FlagVisibility} as SQL; adds its bind values to {@code vals}. */
    static String visibleSql(FlagVisibility vis, LocalDate today, List<Object> vals) {
        vals.add(today);
        vals.add(vis.dueCutoff(today));
        vals.add(vis.endCutoff(today));
        return "status <> 'entered-in-error' AND (period_start IS NULL OR period_start <= ?) AND ("
                + "(code = '" + FhirIds.CODE_UNBORN + "' AND due_date IS NOT NULL AND due_date >= ?)"
                + " OR ((code <> '" + FhirIds.CODE_UNBORN + "' OR due_date IS NULL)"
                + " AND ((period_end IS NULL AND status = 'active') OR (period_end IS NOT NULL AND period_end >= ?))))";
    }

    static boolean isIdentifierForm(SearchParams.Param p) {
        if ("identifier".equals(p.modifier()) && p.chain() == null) {
            return true;
        }
        if (p.modifier() == null && "identifier".equals(p.chain())) {
            return true;
        }
        if (p.modifier() != null && !"identifier".equals(p.modifier())
                || p.chain() != null && !"identifier".equals(p.chain())) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException("Unsupported form '" + p.key()
                    + "': use " + p.name() + ", " + p.name() + ":identifier or " + p.name() + ".identifier");
        }
        return false;
    }

    static void noModifier(SearchParams.Param p) {
        if (p.modifier() != null || p.chain() != null) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "Modifier or chain on '" + p.key() + "' is not supported");
        }
    }

    interface TokenClause {
        void add(SearchParams.Token t, List<String> alts, List<Object> vals);
    }

    static void tokens(Where w, SearchParams.Param p, TokenClause clause) {
        List<String> alts = new ArrayList<>();
        List<Object> vals = new ArrayList<>();
        for (String v : p.values()) {
            clause.add(SearchParams.Token.parse(v), alts, vals);
        }
        w.anyOf(alts, vals);
    }

    /** Reference or _id values: "Patient/12", "12" or an absolute URL; anything non-numeric matches nothing. */
    static void ids(Where w, SearchParams.Param p, String column) {
        List<String> alts = new ArrayList<>();
        List<Object> vals = new ArrayList<>();
        for (String v : p.values()) {
            Long id = idPart(v);
            if (id != null) {
                alts.add(column + " = ?");
                vals.add(id);
            }
        }
        w.anyOf(alts, vals);
    }

    static Long idPart(String v) {
        String s = v;
        int h = s.indexOf("/_history");
        if (h >= 0) {
            s = s.substring(0, h);
        }
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void lastUpdated(Where w, SearchParams.Param p) {
        noModifier(p);
        List<String> alts = new ArrayList<>();
        List<Object> vals = new ArrayList<>();
        for (String v : p.values()) {
            alts.add(SearchParams.DateValue.parse(v).instantClause("last_updated", vals));
        }
        w.anyOf(alts, vals);
    }
}
