package org.cpis.engine.mapping;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.cpis.engine.nhs.NhsNumber;

/**
 * The closed set of functions a dialect may name in {@code apply:}. Nothing else runs: no scripts,
 * no expressions. Each entry documents itself; docs/mapping-reference.md lists the same set.
 */
public final class Functions {

    /** What a function may use from its dialect when it is compiled. */
    public record Context(ZoneId zone, Map<String, Map<String, String>> valueMaps) {
    }

    /** How a function's argument is written in YAML. */
    public enum Arg { NONE, SCALAR, OPTIONAL_LIST, LIST, MAP }

    /** A function's factory: gets the YAML argument (null, String, List or Map) and the dialect. */
    @FunctionalInterface
    interface Factory {
        MappingFunction create(Object arg, Context ctx);
    }

    public record Definition(String name, Arg arg, String usage, String meaning, Factory factory) {
    }

    private static final Map<String, Definition> ALL = new LinkedHashMap<>();

    static {
        define("trim", Arg.NONE, "trim", "Removes leading and trailing spaces.",
                (a, c) -> v -> empty(v.trim()));
        define("upper", Arg.NONE, "upper", "Upper-cases the value (ODS codes, sex codes).",
                (a, c) -> v -> v.toUpperCase(Locale.ROOT));
        define("lower", Arg.NONE, "lower", "Lower-cases the value.",
                (a, c) -> v -> v.toLowerCase(Locale.ROOT));
        define("digitsOnly", Arg.NONE, "digitsOnly", "Keeps only the digits 0-9.",
                (a, c) -> v -> {
                    StringBuilder sb = new StringBuilder(v.length());
                    for (int i = 0; i < v.length(); i++) {
                        char ch = v.charAt(i);
                        if (ch >= '0' && ch <= '9') {
                            sb.append(ch);
                        }
                    }
                    return empty(sb.toString());
                });
        define("nhsNumber", Arg.NONE, "nhsNumber",
                "Normalises an NHS number: strips spaces and dashes (\"943 476 5919\" -> 9434765919). "
                        + "Does not check it: the NHS number rules do that.",
                (a, c) -> v -> empty(NhsNumber.normalise(v.trim())));
        define("substring", Arg.LIST, "substring: [start, end]",
                "Characters from start (counted from 0) up to end (exclusive; omit for the rest). "
                        + "Shorter values give what is there.",
                Functions::substring);
        define("replace", Arg.MAP, "replace: {pattern: REGEX, with: TEXT}",
                "Replaces every match of a regular expression (Java syntax) with fixed text ($1 refers to a group).",
                Functions::replace);
        define("default", Arg.SCALAR, "default: TEXT",
                "Gives TEXT when the value is empty. The only function that runs on an empty value.",
                (a, c) -> {
                    String d = (String) a;
                    return v -> v == null ? d : v;
                });
        define("valueMap", Arg.SCALAR, "valueMap: NAME",
                "Looks the value up in the dialect's valueMaps.NAME. Unlisted values give the map's \"*\" "
                        + "entry, else empty.",
                Functions::valueMap);
        define("date", Arg.OPTIONAL_LIST, "date  |  date: [PATTERN, ...]",
                "Reads a date: HL7 DT/DTM (YYYYMMDD...) by default, or the first of the given "
                        + "java.time patterns that fits. Gives ISO yyyy-MM-dd.",
                Functions::date);
        define("datetime", Arg.OPTIONAL_LIST, "datetime  |  datetime: [PATTERN, ...]",
                "Reads a date and time: HL7 DTM (YYYYMMDDHHMM[SS][+ZZZZ]) by default, or the first of the "
                        + "given java.time patterns that fits. A value without an offset is read in the "
                        + "dialect's timeZone. Gives ISO yyyy-MM-ddTHH:mm:ss+hh:mm.",
                Functions::datetime);
    }

    private Functions() {
    }

    private static void define(String name, Arg arg, String usage, String meaning, Factory f) {
        ALL.put(name, new Definition(name, arg, usage, meaning, f));
    }

    /** Every function, in the order the reference documents them. */
    public static Map<String, Definition> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    /** The function named {@code name}, or null. */
    public static Definition find(String name) {
        return ALL.get(name);
    }

    /** True for functions that must see an empty value (everything else skips it). */
    static boolean runsOnEmpty(String name) {
        return name.equals("default");
    }

    private static String empty(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static MappingFunction substring(Object arg, Context c) {
        @SuppressWarnings("unchecked")
        List<String> a = (List<String>) arg;
        if (a.isEmpty() || a.size() > 2) {
            throw new IllegalArgumentException("substring takes [start] or [start, end]");
        }
        int start = parseIndex(a.get(0));
        int end = a.size() == 2 ? parseIndex(a.get(1)) : Integer.MAX_VALUE;
        if (end < start) {
            throw new IllegalArgumentException("substring end " + end + " is before start " + start);
        }
        return v -> v.length() <= start ? null : empty(v.substring(start, Math.min(end, v.length())));
    }

    private static int parseIndex(String s) {
        try {
            int i = Integer.parseInt(s.trim());
            if (i < 0) {
                throw new IllegalArgumentException("substring index " + s + " is negative");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("substring index '" + s + "' is not a number");
        }
    }

    private static MappingFunction replace(Object arg, Context c) {
        @SuppressWarnings("unchecked")
        Map<String, String> a = (Map<String, String>) arg;
        for (String k : a.keySet()) {
            if (!k.equals("pattern") && !k.equals("with")) {
                throw new IllegalArgumentException("replace takes only 'pattern' and 'with', not '" + k + "'");
            }
        }
        if (a.get("pattern") == null) {
            throw new IllegalArgumentException("replace needs a 'pattern'");
        }
        Pattern p;
        try {
            p = Pattern.compile(a.get("pattern"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("replace pattern is not a valid regular expression: "
                    + e.getDescription());
        }
        String with = a.getOrDefault("with", "");
        return v -> empty(p.matcher(v).replaceAll(with));
    }

    private static MappingFunction valueMap(Object arg, Context c) {
        String name = (String) arg;
        Map<String, String> map = c.valueMaps().get(name);
        if (map == null) {
            throw new IllegalArgumentException("valueMap '" + name + "' is not defined in valueMaps (known: "
                    + String.join(", ", c.valueMaps().keySet()) + ")");
        }
        String otherwise = map.get("*");
        return v -> {
            String mapped = map.get(v);
            return empty(mapped != null ? mapped : otherwise);
        };
    }

    private static List<DateTimeFormatter> formatters(Object arg) {
        List<DateTimeFormatter> out = new ArrayList<>();
        if (arg == null) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<String> patterns = (List<String>) arg;
        for (String p : patterns) {
            try {
                out.add(DateTimeFormatter.ofPattern(p, Locale.UK));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("date/time pattern '" + p + "' is not valid: " + e.getMessage());
            }
        }
        return out;
    }

    private static MappingFunction date(Object arg, Context c) {
        List<DateTimeFormatter> fmts = formatters(arg);
        return v -> {
            LocalDate d = null;
            if (fmts.isEmpty()) {
                d = Hl7Time.parseDate(v);
            } else {
                for (DateTimeFormatter f : fmts) {
                    try {
                        d = LocalDate.from(f.parse(v.trim()));
                        break;
                    } catch (java.time.DateTimeException e) {
                        // try the next pattern
                    }
                }
            }
            return d == null ? null : d.toString();
        };
    }

    private static MappingFunction datetime(Object arg, Context c) {
        List<DateTimeFormatter> fmts = formatters(arg);
        ZoneId zone = c.zone();
        return v -> {
            OffsetDateTime t = null;
            if (fmts.isEmpty()) {
                t = Hl7Time.parseDateTime(v, zone);
            } else {
                for (DateTimeFormatter f : fmts) {
                    t = parseWith(f, v.trim(), zone);
                    if (t != null) {
                        break;
                    }
                }
            }
            return t == null ? null : t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        };
    }

    private static OffsetDateTime parseWith(DateTimeFormatter f, String v, ZoneId zone) {
        try {
            TemporalAccessor ta = f.parseBest(v, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (ta instanceof OffsetDateTime o) {
                return o;
            } else if (ta instanceof LocalDateTime l) {
                return ZonedDateTime.of(l, zone).toOffsetDateTime();
            } else {
                return ((LocalDate) ta).atStartOfDay(zone).toOffsetDateTime();
            }
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
