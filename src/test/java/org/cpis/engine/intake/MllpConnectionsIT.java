package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many connections at once, the connection limit, and the idle timeout. */
class MllpConnectionsIT {

    static Socket open(EngineFixture fx) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", fx.mllpPort()), 10_000);
        s.setSoTimeout(60_000);
        return s;
    }

    /** Reads one MLLP frame from a plain socket (the test holds hundreds, so no client objects). */
    static Ack readAck(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int b = in.read();
        assertThat(b).as("start of ACK frame").isEqualTo(MllpClient.VT);
        while ((b = in.read()) != MllpClient.FS) {
            assertThat(b).as("connection closed inside an ACK").isNotNegative();
            sb.append((char) b);
        }
        return Ack.parse(sb.toString());
    }

    @Test
    void fiveHundredConcurrentConnectionsEachGetAaWithBoundedThreads(@TempDir Path dataDir) throws Exception {
        int n = 500;
        try (EngineFixture fx = EngineFixture.start(dataDir, Map.of("cpis.mllp.max-connections", "600"))) {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            int threadsBefore = mx.getThreadCount();
            mx.resetPeakThreadCount();
            List<Socket> sockets = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    sockets.add(open(fx));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.engine().mllpStats().openConnections() == n);
                for (int i = 0; i < n; i++) {
                    String id = Hl7.controlId("C" + i + "-");
                    ids.add(id);
                    sockets.get(i).getOutputStream().write(Hl7.frame(Hl7.bytes(Hl7.adt("2.4", "A04", id))));
                }
                for (int i = 0; i < n; i++) {
                    Ack ack = readAck(sockets.get(i));
                    assertThat(ack.code()).isEqualTo("AA");
                    assertThat(ack.controlId()).isEqualTo(ids.get(i));
                }
                assertThat(fx.engine().mllpStats().openConnections()).isEqualTo(n);
                assertThat(fx.healthStatus()).isEqualTo(200);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            int peak = mx.getPeakThreadCount();
            System.out.printf("%d concurrent MLLP connections: threads before %d, peak %d (+%d)%n",
                    n, threadsBefore, peak, peak - threadsBefore);
            assertThat(peak - threadsBefore).as("threads added while 500 connections were open").isLessThan(150);
            assertThat(fx.engine().mllpStats().refusedConnections()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.engine().mllpStats().openConnections() == 0);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    fx.queryLong("SELECT COUNT(*) FROM received_message WHERE status IN ('processed', 'filtered', 'dead-letter')") == n);
            assertThat(fx.healthStatus()).isEqualTo(200);
        }
    }

    @Test
    void connectionOverTheDefaultLimitOf64IsClosed(@TempDir Path dataDir) throws Exception {
        try (EngineFixture fx = EngineFixture.start(dataDir, Map.of("cpis.pipeline.enabled", "false"))) {
            assertThat(fx.engine().config().getInt("cpis.mllp.max-connections", 0)).isEqualTo(64);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    sockets.add(open(fx));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.engine().mllpStats().openConnections() == 64);

                try (Socket extra = open(fx)) {
                    extra.setSoTimeout(10_000);
                    assertThat(extra.getInputStream().read()).as("65th connection closed by the engine").isEqualTo(-1);
                }
                await().until(() -> fx.engine().mllpStats().refusedConnections() == 1);

                // The 64 admitted connections still work.
                Socket first = sockets.get(0);
                String id = Hl7.controlId("LIM");
                first.getOutputStream().write(Hl7.frame(Hl7.bytes(Hl7.adt("2.4", "A04", id))));
                assertThat(readAck(first).code()).isEqualTo("AA");

                // Once one closes, a new connection is admitted.
                sockets.remove(0).close();
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.engine().mllpStats().openConnections() == 63);
                try (MllpClient c = fx.connect()) {
                    assertThat(c.send(Hl7.bytes(Hl7.adt("2.4", "A04", Hl7.controlId("LIM2")))).code()).isEqualTo("AA");
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void idleConnectionIsClosedByTheEngine(@TempDir Path dataDir) throws Exception {
        try (EngineFixture fx = EngineFixture.start(dataDir, Map.of(
                "cpis.pipeline.enabled", "false", "cpis.mllp.idle-timeout", "1s"))) {
            // A connection in use is not idle.
            try (MllpClient c = fx.connect()) {
                assertThat(c.send(Hl7.bytes(Hl7.adt("2.4", "A04", Hl7.controlId("IDLE")))).code()).isEqualTo("AA");
                c.socket().setSoTimeout(15_000);
                long t0 = System.nanoTime();
                assertThat(c.socket().getInputStream().read()).as("closed by the engine").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(500));
            }
            await().until(() -> fx.engine().mllpStats().idleClosedConnections() == 1);
        }
    }
}
