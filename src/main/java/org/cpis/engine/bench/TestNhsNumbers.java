package org.cpis.engine.bench;

import org.cpis.engine.nhs.NhsNumber;

/**
 * Valid NHS numbers in the 999 test range, made by computing the Modulus 11 check digit.
 * The range starts above 9990001000 so it never collides with the project's sample identities
 * (9990000018 ... 9990000050).
 */
final class TestNhsNumbers {

    /** First nine-digit stem used; stems below it hold the project's sample numbers. */
    static final long FIRST_STEM = 999_000_100L;
    static final long LAST_STEM = 999_999_999L;

    private TestNhsNumbers() {
    }

    /** The valid number for a nine-digit stem, or {@code null} when the stem has no check digit (remainder 10). */
    static String withCheckDigit(long stem) {
        String s = Long.toString(stem);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (s.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        if (check == 10) {
            return null;
        }
        String n = s + check;
        // Cross-check against the engine's own rule, so generator and engine can never disagree.
        if (!NhsNumber.isValid(n)) {
            throw new IllegalStateException("generated an invalid NHS number for stem " + stem);
        }
        return n;
    }

    /** The first {@code count} valid numbers of the test range, in ascending order. */
    static String[] first(int count) {
        String[] out = new String[count];
        int n = 0;
        for (long stem = FIRST_STEM; n < count && stem <= LAST_STEM; stem++) {
            String v = withCheckDigit(stem);
            if (v != null) {
                out[n++] = v;
            }
        }
        if (n < count) {
            throw new IllegalArgumentException("the 999 test range holds fewer than " + count + " valid NHS numbers");
        }
        return out;
    }
}
