package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per MLLP framing and encoding case. The processing stage is off, so every accepted
 * message stays in the durable queue and a test can read back the exact bytes that were stored.
 */
class MllpFramingIT {
    static final int MAX_MESSAGE_SIZE = 4096;

    @TempDir
    static Path dataDir;
    static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(dataDir, Map.of(
                "cpis.pipeline.enabled", "false",
                "cpis.mllp.max-message-size", String.valueOf(MAX_MESSAGE_SIZE)));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** How many messages with this control id wait in the intake queue. */
    static int queuedCount(EngineFixture fx, String controlId) throws Exception {
        try (Connection c = fx.engine().broker().connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue("cpis.adt"),
                    IntakeHeaders.CONTROL_ID + " = '" + controlId + "'");
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    /** The body of the queued message with this control id, exactly as the queue holds it. */
    static byte[] queued(String controlId) throws Exception {
        try (Connection c = fx.engine().broker().connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue("cpis.adt"),
                    IntakeHeaders.CONTROL_ID + " = '" + controlId + "'");
            List<Message> found = Collections.list(browser.getEnumeration());
            assertThat(found).as("queued messages with control id " + controlId).hasSize(1);
            BytesMessage m = (BytesMessage) found.get(0);
            byte[] body = new byte[(int) m.getBodyLength()];
            m.readBytes(body);
            return body;
        }
    }

    @Test
    void pipelinedBurstOf100FramesInOneWriteGets100AcksInOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            String id = Hl7.controlId("B" + i + "-");
            ids.add(id);
            burst.writeBytes(Hl7.frame(Hl7.bytes(Hl7.adt("2.4", "A04", id))));
        }
        List<String> acked = new ArrayList<>();
        try (MllpClient c = fx.connect()) {
            c.writeRaw(burst.toByteArray());
            for (int i = 0; i < 100; i++) {
                Ack ack = Ack.parse(c.readFrameAsString());
                assertThat(ack.code()).isEqualTo("AA");
                acked.add(ack.controlId());
            }
        }
        assertThat(acked).containsExactlyElementsOf(ids);
    }

    @Test
    void frameSplitAcrossManyWritesIsReassembled() throws Exception {
        String id = Hl7.controlId("SPLIT");
        byte[] msg = Hl7.bytes(Hl7.adt("2.4", "A04", id));
        byte[] frame = Hl7.frame(msg);
        try (MllpClient c = fx.connect()) {
            // The start byte and the MSH byte by byte, the middle in two pieces, the end byte by byte.
            int head = 40;
            int tail = frame.length - 4;
            for (int i = 0; i < head; i++) {
                c.writeRaw(new byte[] {frame[i]});
            }
            int mid = (head + tail) / 2;
            c.writeRaw(java.util.Arrays.copyOfRange(frame, head, mid));
            c.writeRaw(java.util.Arrays.copyOfRange(frame, mid, tail));
            for (int i = tail; i < frame.length; i++) {
                c.writeRaw(new byte[] {frame[i]});
            }
            Ack ack = Ack.parse(c.readFrameAsString());
            assertThat(ack.code()).isEqualTo("AA");
            assertThat(ack.controlId()).isEqualTo(id);
        }
        assertThat(queued(id)).isEqualTo(msg);
    }

    @Test
    void trailingLfAfterFrameEndIsIgnoredQuietly() throws Exception {
        String first = Hl7.controlId("LF1");
        String second = Hl7.controlId("LF2");
        long outsideBefore = fx.engine().mllpStats().bytesOutsideFrame();
        try (MllpClient c = fx.connect()) {
            byte[] frame = Hl7.frame(Hl7.bytes(Hl7.adt("2.4", "A04", first)));
            byte[] withLf = java.util.Arrays.copyOf(frame, frame.length + 1);
            withLf[frame.length] = '\n';
            c.writeRaw(withLf);
            assertThat(Ack.parse(c.readFrameAsString()).controlId()).isEqualTo(first);
            Ack next = c.send(Hl7.bytes(Hl7.adt("2.4", "A04", second)));
            assertThat(next.code()).isEqualTo("AA");
            assertThat(next.controlId()).isEqualTo(second);
        }
        assertThat(fx.engine().mllpStats().bytesOutsideFrame()).isEqualTo(outsideBefore);
        assertThat(queued(first)).isEqualTo(Hl7.bytes(Hl7.adt("2.4", "A04", first)));
    }

    @Test
    void bytesOutsideAFrameAreCountedAndTheNextMessageIsAccepted() throws Exception {
        String id = Hl7.controlId("JUNK");
        byte[] junk = "garbage".getBytes(StandardCharsets.US_ASCII);
        long before = fx.engine().mllpStats().bytesOutsideFrame();
        try (MllpClient c = fx.connect()) {
            c.writeRaw(junk);
            Ack ack = c.send(Hl7.bytes(Hl7.adt("2.4", "A04", id)));
            assertThat(ack.code()).isEqualTo("AA");
            assertThat(ack.controlId()).isEqualTo(id);
        }
        await().until(() -> fx.engine().mllpStats().bytesOutsideFrame() == before + junk.length);
    }

    @ParameterizedTest(name = "segment separator {0}")
    @CsvSource({"CR,'\r'", "LF,'\n'", "CRLF,'\r\n'"})
    void segmentSeparators(String name, String separator) throws Exception {
        String id = Hl7.controlId(name);
        byte[] msg = Hl7.bytes(Hl7.withSeparator(Hl7.adt("2.4", "A08", id), separator));
        Ack ack = fx.send(msg);
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo(id);
        assertThat(queued(id)).isEqualTo(msg);
    }

    @ParameterizedTest(name = "MSH-18 {0}")
    @CsvSource({"ASCII,US-ASCII,SMITH^JOHN", "8859/1,ISO-8859-1,REN\u00c9E^Z\u00e9lie", "UNICODE UTF-8,UTF-8,ZO\u00cb^\u0141UKASZ\u00e9"})
    void msh18Charsets(String msh18, String javaCharset, String name) throws Exception {
        Charset cs = Charset.forName(javaCharset);
        String id = Hl7.controlId("CS");
        byte[] msg = Hl7.bytes(Hl7.adt(Hl7.SENDING_APP, Hl7.SENDING_FACILITY, "2.5.1", "A04", id, msh18, name), cs);
        if (msh18.equals("8859/1")) {
            // é is the single byte 0xE9 in 8859/1 (it would be C3 A9 in UTF-8).
            assertThat(msg).contains((byte) 0xE9).doesNotContain((byte) 0xC3);
        }
        try (MllpClient c = fx.connect()) {
            c.write(msg);
            byte[] ackBytes = c.readFrame();
            Ack ack = Ack.parse(new String(ackBytes, cs));
            assertThat(ack.code()).isEqualTo("AA");
            assertThat(ack.controlId()).isEqualTo(id);
            assertThat(Hl7.field(ack.raw(), "MSH", 18)).as("ACK MSH-18 mirrors the message").isEqualTo(msh18);
        }
        assertThat(queued(id)).isEqualTo(msg);
    }

    @Test
    void zSegmentsAreAccepted() throws Exception {
        String id = Hl7.controlId("Z");
        byte[] msg = Hl7.bytes(Hl7.adt("2.4", "A04", id) + "ZU1|1|local^extension||X\rZCP|A|B\r");
        Ack ack = fx.send(msg);
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(queued(id)).isEqualTo(msg);
    }

    @Test
    void oversizeMessageGetsArAndTheConnectionStaysUsable() throws Exception {
        String big = Hl7.controlId("BIG");
        StringBuilder padding = new StringBuilder();
        while (padding.length() < MAX_MESSAGE_SIZE) {
            padding.append("NTE|1||").append("x".repeat(200)).append('\r');
        }
        byte[] oversize = Hl7.bytes(Hl7.adt("2.4", "A04", big) + padding);
        assertThat(oversize.length).isGreaterThan(MAX_MESSAGE_SIZE);
        String next = Hl7.controlId("AFTER");
        try (MllpClient c = fx.connect()) {
            Ack ack = c.send(oversize);
            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.controlId()).isEqualTo(big);
            assertThat(ack.error()).contains("exceeds the limit of " + MAX_MESSAGE_SIZE);
            Ack after = c.send(Hl7.bytes(Hl7.adt("2.4", "A04", next)));
            assertThat(after.code()).isEqualTo("AA");
            assertThat(after.controlId()).isEqualTo(next);
        }
        assertThat(fx.queryColumn("SELECT size_bytes FROM rejected_message WHERE control_id = ?", big))
                .containsExactly(oversize.length);
        assertThat(fx.queryColumn("SELECT truncated FROM rejected_message WHERE control_id = ?", big))
                .containsExactly(true);
    }

    @Test
    void frameEndingWithFsWithoutCrIsAccepted() throws Exception {
        String id = Hl7.controlId("NOCR");
        byte[] msg = Hl7.bytes(Hl7.adt("2.4", "A04", id));
        byte[] frame = Hl7.frame(msg);
        try (MllpClient c = fx.connect()) {
            c.writeRaw(java.util.Arrays.copyOf(frame, frame.length - 1));
            assertThat(Ack.parse(c.readFrameAsString()).code()).isEqualTo("AA");
        }
        assertThat(queued(id)).isEqualTo(msg);
    }
}
