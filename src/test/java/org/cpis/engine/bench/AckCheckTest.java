package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckCheckTest {

    static final String MSH = "MSH|^~\\&|CPIS|CPIS|SYMPHONY|RX1|20261125040000||ACK^A04^ACK|A1|P|2.4\r";

    @Test
    void acceptsAaForTheSameControlId() {
        assertThat(AckCheck.check(MSH + "MSA|AA|BMX1X10\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.ACCEPTED);
        assertThat(AckCheck.check(MSH + "MSA|CA|BMX1X10|ok\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.ACCEPTED);
    }

    @Test
    void refusesOtherCodesAndOtherControlIds() {
        assertThat(AckCheck.check(MSH + "MSA|AE|BMX1X10\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.NOT_ACCEPTED);
        assertThat(AckCheck.check(MSH + "MSA|AR|BMX1X10\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.NOT_ACCEPTED);
        assertThat(AckCheck.check(MSH + "MSA|AA|BMX1X1\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.WRONG_CONTROL_ID);
        assertThat(AckCheck.check(MSH + "MSA|AA|BMX1X100\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.WRONG_CONTROL_ID);
        assertThat(AckCheck.check(MSH + "MSA|AA\r", "BMX1X10")).isEqualTo(AckCheck.Outcome.WRONG_CONTROL_ID);
        assertThat(AckCheck.check(MSH, "BMX1X10")).isEqualTo(AckCheck.Outcome.NO_MSA);
    }
}
