package org.cpis.engine.nhs;

/**
 * NHS number rules: 10 digits with a Modulus 11 check digit (DESIGN.md §3), and the mask used
 * wherever a number could reach a log line.
 */
public final class NhsNumber {

    private NhsNumber() {
    }

    /** True when {@code value} is exactly ten digits and its check digit is right. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i);
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == value.charAt(9) - '0';
    }

    /** Strips the spaces and dashes people type into NHS numbers ("943 476 5919"). */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '-') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code 9434765919} becomes {@code 943****919}; anything else becomes {@code ***}. */
    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        if (value.length() < 7) {
            return "***";
        }
        return value.substring(0, 3) + "****" + value.substring(value.length() - 3);
    }
}
