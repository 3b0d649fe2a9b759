package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cpis.engine.nhs.NhsNumber;
import org.junit.jupiter.api.Test;

class TestNhsNumbersTest {

    @Test
    void computesTheModulus11CheckDigitOfKnownNumbers() {
        assertThat(TestNhsNumbers.withCheckDigit(943476591L)).isEqualTo("9434765919");
        assertThat(TestNhsNumbers.withCheckDigit(944930675L)).isEqualTo("9449306753");
        assertThat(TestNhsNumbers.withCheckDigit(999000001L)).isEqualTo("9990000018");
    }

    @Test
    void skipsStemsWhoseCheckDigitWouldBeTen() {
        int skipped = 0;
        for (long stem = 999_000_100L; stem < 999_000_300L; stem++) {
            String n = TestNhsNumbers.withCheckDigit(stem);
            if (n == null) {
                skipped++;
                // no digit 0-9 makes this stem valid
                for (int d = 0; d <= 9; d++) {
                    assertThat(NhsNumber.isValid(stem + "" + d)).isFalse();
                }
            } else {
                assertThat(NhsNumber.isValid(n)).isTrue();
            }
        }
        assertThat(skipped).isPositive();
    }

    @Test
    void firstNumbersAreValidAscendingAndClearOfTheSampleIdentities() {
        String[] n = TestNhsNumbers.first(10_000);
        for (int i = 0; i < n.length; i++) {
            assertThat(NhsNumber.isValid(n[i])).isTrue();
            assertThat(Long.parseLong(n[i])).isGreaterThan(9990000050L);
            if (i > 0) {
                assertThat(n[i].compareTo(n[i - 1])).isPositive();
            }
        }
        assertThatThrownBy(() -> TestNhsNumbers.first(2_000_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
