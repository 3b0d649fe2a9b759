package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;

/** The intake database tests on the default H2 file database; also measures the ACK round trip. */
class H2IntakeIT extends AbstractIntakeIT {

    @Override
    protected Map<String, String> databaseProperties() {
        return Map.of();
    }

    /** Prints the median ACK round trip on one connection; measured, not asserted. */
    @Test
    void ackRoundTripOnOneConnection() throws Exception {
        int warmUp = 200;
        int n = 1000;
        long[] nanos = new long[n];
        try (MllpClient c = fx.connect()) {
            for (int i = 0; i < warmUp + n; i++) {
                byte[] msg = Hl7.bytes(Hl7.adt("2.4", "A04", Hl7.controlId("RT")));
                long t0 = System.nanoTime();
                Ack ack = c.send(msg);
                long t = System.nanoTime() - t0;
                assertThat(ack.code()).isEqualTo("AA");
                if (i >= warmUp) {
                    nanos[i - warmUp] = t;
                }
            }
        }
        Arrays.sort(nanos);
        System.out.printf("ACK round trip on one connection (H2, %d sends after %d warm-up): median %.2f ms,"
                + " p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", n, warmUp, nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6,
                nanos[n * 99 / 100] / 1e6, nanos[n - 1] / 1e6);
    }
}
