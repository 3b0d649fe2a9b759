package org.cpis.engine.mapping;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * HL7 v2 DT / DTM / TS values ({@code YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]}), parsed by hand:
 * this runs for every message and a hand parser is several times faster than a formatter.
 */
public final class Hl7Time {

    private Hl7Time() {
    }

    /**
     * Parses a DTM. A value without an offset is read in {@code zone} (Europe/London by default).
     *
     * @return the instant with its offset, or null when the text is not a DTM
     */
    public static OffsetDateTime parseDateTime(String text, ZoneId zone) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int offsetAt = -1;
        for (int i = 4; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '+' || c == '-') {
                offsetAt = i;
                break;
            }
        }
        String main = offsetAt < 0 ? t : t.substring(0, offsetAt);
        int dot = main.indexOf('.');
        String fraction = dot < 0 ? "" : main.substring(dot + 1);
        String digits = dot < 0 ? main : main.substring(0, dot);
        if (!allDigits(digits) || !allDigits(fraction) || digits.length() < 4 || digits.length() > 14
                || digits.length() % 2 != 0 || (dot >= 0 && digits.length() != 14)) {
            return null;
        }
        try {
            int year = Integer.parseInt(digits.substring(0, 4));
            int month = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 1;
            int day = digits.length() >= 8 ? Integer.parseInt(digits.substring(6, 8)) : 1;
            int hour = digits.length() >= 10 ? Integer.parseInt(digits.substring(8, 10)) : 0;
            int minute = digits.length() >= 12 ? Integer.parseInt(digits.substring(10, 12)) : 0;
            int second = digits.length() >= 14 ? Integer.parseInt(digits.substring(12, 14)) : 0;
            int nanos = 0;
            if (!fraction.isEmpty()) {
                String f = (fraction + "000000000").substring(0, 9);
                nanos = Integer.parseInt(f);
            }
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            if (offsetAt < 0) {
                return local.atZone(zone).toOffsetDateTime();
            }
            String off = t.substring(offsetAt);
            if (off.length() != 5 || !allDigits(off.substring(1))) {
                return null;
            }
            int hours = Integer.parseInt(off.substring(1, 3));
            int minutes = Integer.parseInt(off.substring(3, 5));
            int sign = off.charAt(0) == '-' ? -1 : 1;
            return local.atOffset(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
        } catch (RuntimeException e) {
            return null; // month 13, day 32, offset +2500 ...
        }
    }

    /** Parses a DT (or the date part of a DTM); null when the text is not one. */
    public static LocalDate parseDate(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.length() < 8 || !allDigits(t.substring(0, 8))) {
            return null;
        }
        if (t.length() > 8 && !Character.isDigit(t.charAt(8)) && t.charAt(8) != '+' && t.charAt(8) != '-') {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(t.substring(0, 4)), Integer.parseInt(t.substring(4, 6)),
                    Integer.parseInt(t.substring(6, 8)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
