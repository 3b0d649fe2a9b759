package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Intake tests that touch the database: happy path, duplicates and rejects. Each subclass runs
 * them on one database (H2 file, real PostgreSQL) with one engine for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractIntakeIT {
    protected static final Duration PROCESSED_WITHIN = Duration.ofSeconds(20);
    protected EngineFixture fx;
    // Static so JUnit creates it before @BeforeAll (one per test class, deleted after it): an engine's data is tens of MB.
    @TempDir
    static Path dataDir;

    /** Database properties for this subclass (empty = the default H2 file). */
    protected abstract Map<String, String> databaseProperties() throws Exception;

    protected void stopDatabase() throws Exception {
    }

    private Map<String, String> properties;

    @BeforeAll
    void startEngine() throws Exception {
        properties = databaseProperties();
        fx = EngineFixture.start(dataDir, properties);
    }

    @AfterAll
    void stopEngine() throws Exception {
        if (fx != null) {
            fx.close();
        }
        stopDatabase();
    }

    static Stream<Arguments> versionsAndEvents() {
        return Stream.of("2.3", "2.4", "2.5.1")
                .flatMap(v -> Stream.of("A01", "A04", "A08", "A03").map(e -> Arguments.of(v, e)));
    }

    @ParameterizedTest(name = "ADT^{1} v{0} gets AA and is processed once")
    @MethodSource("versionsAndEvents")
    void happyPath(String version, String event) throws Exception {
        String id = Hl7.controlId("HP");
        String msg = Hl7.adt(version, event, id);

        Ack ack = fx.send(msg);

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo(id);
        assertThat(Hl7.field(ack.raw(), "MSH", 5)).as("ACK MSH-5 = MSH-3").isEqualTo(Hl7.field(msg, "MSH", 3));
        assertThat(Hl7.field(ack.raw(), "MSH", 6)).as("ACK MSH-6 = MSH-4").isEqualTo(Hl7.field(msg, "MSH", 4));
        assertThat(Hl7.field(ack.raw(), "MSH", 9)).startsWith("ACK^" + event);
        assertThat(Hl7.field(ack.raw(), "MSH", 12)).isEqualTo(version);
        assertThat(ack.error()).isEmpty();
        await().atMost(PROCESSED_WITHIN).until(() -> fx.processedCount(id) == 1);
        assertThat(fx.queryColumn("SELECT message_type FROM received_message WHERE control_id = ?", id))
                .containsExactly("ADT^" + event);
    }

    @Test
    void duplicateControlIdFromSameSenderIsAcceptedAndProcessedOnce() throws Exception {
        String id = Hl7.controlId("DUP");
        String msg = Hl7.adt("2.4", "A04", id);
        Ack first;
        Ack second;
        long added = queuedSince(0);
        try (MllpClient c = fx.connect()) {
            first = c.send(Hl7.bytes(msg));
            second = c.send(Hl7.bytes(msg));
        }
        assertThat(first.code()).isEqualTo("AA");
        assertThat(second.code()).isEqualTo("AA");
        assertThat(second.controlId()).isEqualTo(id);
        assertThat(second.text()).containsIgnoringCase("duplicate");
        await().atMost(PROCESSED_WITHIN).until(() -> fx.processedCount(id) == 1);
        assertThat(queuedSince(added)).as("messages queued: the copy was not").isEqualTo(1);

        // The same MSH-10 from another sender is a different message: processed too.
        Ack other = fx.send(Hl7.adt("OTHERSYS", "RX1", "2.4", "A04", id, "", "TEST^CHILD"));
        assertThat(other.code()).isEqualTo("AA");
        assertThat(other.text()).doesNotContainIgnoringCase("duplicate");
        await().atMost(PROCESSED_WITHIN).until(() -> fx.processedCount(id) == 2);
        assertThat(fx.queryColumn("SELECT sending_application FROM received_message WHERE control_id = ? ORDER BY 1", id))
                .containsExactly(Hl7.SENDING_APP, "OTHERSYS");
    }

    @Test
    void aResendAfterARestartIsStillADuplicate() throws Exception {
        String id = Hl7.controlId("DUPR");
        String msg = Hl7.adt("2.4", "A04", id);
        assertThat(fx.send(msg).code()).isEqualTo("AA");
        await().atMost(PROCESSED_WITHIN).until(() -> fx.processedCount(id) == 1);

        // Intake's memory of the keys goes with the engine; the new one reads them back at start.
        fx.close();
        fx = EngineFixture.start(dataDir, properties);
        long added = queuedSince(0);
        Ack resend = fx.send(msg);
        assertThat(resend.code()).isEqualTo("AA");
        assertThat(resend.text()).containsIgnoringCase("duplicate");
        assertThat(queuedSince(added)).isZero();
    }

    /**
     * Messages intake queued since {@code before} of them were (its own count: the broker's would
     * also count redeliveries of other tests' messages coming due).
     */
    private long queuedSince(long before) throws Exception {
        return fx.metric("intake.queued") - before;
    }

    static Stream<Arguments> malformed() {
        String ok = Hl7.adt("2.4", "A04", "REPLACEME");
        return Stream.of(
                Arguments.of("no MSH", ok.substring(ok.indexOf('\r') + 1), "MSH^1", "100"),
                Arguments.of("bad encoding characters", ok.replace("MSH|^~\\&|", "MSH|^~|"), "MSH^1^2", "102"),
                Arguments.of("repeated encoding character", ok.replace("MSH|^~\\&|", "MSH|^^\\&|"), "MSH^1^2", "102"),
                Arguments.of("empty MSH-9", ok.replace("|ADT^A04^ADT_A01|", "||"), "MSH^1^9", "101"),
                Arguments.of("empty MSH-10", ok.replace("|REPLACEME|", "||"), "MSH^1^10", "101"),
                Arguments.of("unsupported version 2.9", ok.replace("|P|2.4|", "|P|2.9|"), "MSH^1^12", "203"),
                Arguments.of("unsupported version 3.0", ok.replace("|P|2.4|", "|P|3.0|"), "MSH^1^12", "203"),
                Arguments.of("unparseable content", ok + "this is not an HL7 segment at all\r", "", "102"));
    }

    @ParameterizedTest(name = "{0} gets AR with ERR at {2} and is kept in rejected_message")
    @MethodSource("malformed")
    void malformedMessageGetsArAndIsRecorded(String name, String template, String errLocation, String errCode)
            throws Exception {
        String id = Hl7.controlId("REJ");
        // A unique marker in PID-5 makes this message's bytes findable among all rejects.
        byte[] raw = Hl7.bytes(template.replace("REPLACEME", id).replace("TEST^CHILD", "TEST^" + id));

        Ack ack = fx.send(raw);

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.error()).startsWith("ERR|");
        String[] err = ack.error().split("\\|", -1);
        assertThat(err[2]).as("ERR-2 error location").isEqualTo(errLocation);
        assertThat(err[3]).as("ERR-3 error code").startsWith(errCode + "^");
        assertThat(err[4]).as("ERR-4 severity").isEqualTo("E");
        assertThat(ack.text()).isNotBlank();
        assertThat(fx.rejectedRaw()).anySatisfy(r -> assertThat(r).isEqualTo(raw));
        assertThat(fx.receivedCount(id)).isZero();
    }

    @Test
    void rejectedMessageKeepsItsExactBytesEvenInAnotherCharset() throws Exception {
        String id = Hl7.controlId("REJ8");
        byte[] raw = Hl7.bytes(Hl7.adt(Hl7.SENDING_APP, Hl7.SENDING_FACILITY, "3.0", "A04", id, "8859/1", "REN\u00c9E^" + id),
                StandardCharsets.ISO_8859_1);
        assertThat(fx.send(raw).code()).isEqualTo("AR");
        assertThat(fx.rejectedRaw()).anySatisfy(r -> assertThat(Arrays.equals(r, raw)).isTrue());
        assertThat(fx.queryColumn("SELECT field FROM rejected_message WHERE control_id = ?", id)).containsExactly("MSH-12");
    }
}
