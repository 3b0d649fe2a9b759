package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raw FHIR search parameters split into name, modifier ({@code :identifier}), chain
 * ({@code .identifier}) and values. Repeated parameters are AND, comma-separated values are OR.
 */
public final class SearchParams {

    /** One occurrence of a parameter. */
    public record Param(String name, String modifier, String chain, List<String> values) {
        public String key() {
            return name + (modifier != null ? ":" + modifier : "") + (chain != null ? "." + chain : "");
        }
    }

    /** A token {@code system|code}; system null means any system, "" means no system. */
    public record Token(String system, String code) {
        public static Token parse(String v) {
            int bar = v.indexOf('|');
            if (bar < 0) {
                return new Token(null, v);
            }
            return new Token(v.substring(0, bar), v.substring(bar + 1));
        }
    }

    /** Parameters HAPI or the bundle builder handle; searches ignore them. */
    private static final Set<String> HANDLED_ELSEWHERE = Set.of("_format", "_pretty", "_summary", "_elements",
            "_total", "_getpages", "_getpagesoffset", "_bundletype");

    private final List<Param> params = new ArrayList<>();
    private final Map<String, String> control = new LinkedHashMap<>();

    private SearchParams() {
    }

    public static SearchParams parse(Map<String, String[]> raw) {
        SearchParams sp = new SearchParams();
        for (Map.Entry<String, String[]> e : raw.entrySet()) {
            String key = e.getKey();
            if (HANDLED_ELSEWHERE.contains(key)) {
                continue;
            }
            if (key.equals("_count") || key.equals("_include") || key.equals("_sort") || key.equals("_revinclude")) {
                sp.control.put(key, String.join(",", e.getValue()));
                continue;
            }
            String name = key;
            String modifier = null;
            String chain = null;
            int dot = name.indexOf('.');
            if (dot > 0) {
                chain = name.substring(dot + 1);
                name = name.substring(0, dot);
            }
            int colon = name.indexOf(':');
            if (colon > 0) {
                modifier = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
            for (String v : e.getValue()) {
                List<String> values = new ArrayList<>();
                for (String part : splitOnUnescapedCommas(v)) {
                    if (!part.isEmpty()) {
                        values.add(part);
                    }
                }
                if (values.isEmpty()) {
                    throw new InvalidRequestException("search parameter '" + key + "' has no value");
                }
                sp.params.add(new Param(name, modifier, chain, values));
            }
        }
        return sp;
    }

    private static List<String> splitOnUnescapedCommas(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                sb.append(v.charAt(++i));
            } else if (c == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString());
        return out;
    }

    public List<Param> params() {
        return params;
    }

    public String control(String name) {
        return control.get(name);
    }

    /** {@code _count}, limited to {@code max}; {@code dflt} when absent. */
    public int count(int dflt, int max) {
        String c = control.get("_count");
        if (c == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(c.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("_count must be a whole number, got '" + c + "'");
        }
    }

    public static InvalidRequestException unknown(String resourceType, Param p, String supported) {
        return new InvalidRequestException("Unknown or unsupported search parameter '" + p.key() + "' for "
                + resourceType + ". Supported: " + supported);
    }

    /** A date search value with its prefix, as an inclusive-exclusive instant range. */
    public record DateValue(String prefix, OffsetDateTime from, OffsetDateTime to, LocalDate date) {
        public static DateValue parse(String raw) {
            String prefix = "eq";
            String v = raw;
            if (v.length() > 2 && Character.isLetter(v.charAt(0)) && Character.isLetter(v.charAt(1))) {
                prefix = v.substring(0, 2);
                v = v.substring(2);
            }
            if (!Set.of("eq", "gt", "lt", "ge", "le").contains(prefix)) {
                throw new InvalidRequestException("date prefix '" + prefix + "' is not supported (eq, gt, lt, ge, le)");
            }
            try {
                if (v.length() == 10) {
                    LocalDate d = LocalDate.parse(v);
                    OffsetDateTime from = d.atStartOfDay().atOffset(ZoneOffset.UTC);
                    return new DateValue(prefix, from, from.plusDays(1), d);
                }
                OffsetDateTime t = OffsetDateTime.parse(v);
                return new DateValue(prefix, t, t.plusNanos(1_000_000), t.atZoneSameInstant(ZoneOffset.UTC).toLocalDate());
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("'" + raw + "' is not a FHIR date (yyyy-mm-dd or a full date-time)");
            }
        }

        /** SQL clause on a timestamp column. */
        public String instantClause(String column, List<Object> out) {
            switch (prefix) {
                case "gt": out.add(to); return column + " >= ?";
                case "ge": out.add(from); return column + " >= ?";
                case "lt": out.add(from); return column + " < ?";
                case "le": out.add(to); return column + " < ?";
                default: out.add(from); out.add(to); return column + " >= ? AND " + column + " < ?";
            }
        }
    }
}
