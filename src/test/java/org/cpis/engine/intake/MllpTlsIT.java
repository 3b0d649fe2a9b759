package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cpis.engine.cli.CpisEngine;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.mllp.MllpClient.TlsOptions;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.cpis.engine.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** MLLP over TLS, and mutual TLS where a sender without a trusted certificate is refused. */
class MllpTlsIT {
    static final String PW = TestCertificates.PASSWORD;

    @TempDir
    static Path dir;
    static Path truststore;
    static Path clientKeystore;
    static Path untrustedClientKeystore;
    static EngineFixture tls;
    static EngineFixture mutual;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.newCa("CPIS Test CA");
        truststore = ca.writeTruststore(dir.resolve("ca.p12"));
        Path serverKeystore = ca.writeServerKeystore(dir.resolve("server.p12"));
        clientKeystore = ca.writeClientKeystore(dir.resolve("client.p12"), "EDSYS RX1CC");
        untrustedClientKeystore = TestCertificates.newCa("Rogue CA")
                .writeClientKeystore(dir.resolve("rogue-client.p12"), "EDSYS RX1CC");
        Map<String, String> common = Map.of(
                "cpis.pipeline.enabled", "false",
                "cpis.mllp.tls.enabled", "true",
                "cpis.mllp.tls.keystore", serverKeystore.toString(),
                "cpis.mllp.tls.keystore-password", PW,
                "cpis.mllp.tls.truststore", truststore.toString(),
                "cpis.mllp.tls.truststore-password", PW);
        tls = EngineFixture.start(Files.createDirectory(dir.resolve("tls")), common);
        Map<String, String> withClientAuth = new java.util.HashMap<>(common);
        withClientAuth.put("cpis.mllp.tls.client-auth", "true");
        mutual = EngineFixture.start(Files.createDirectory(dir.resolve("mutual")), withClientAuth);
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    static Ack sendTls(EngineFixture fx, TlsOptions options, String controlId) throws IOException {
        try (MllpClient c = MllpClient.connect("localhost", fx.mllpPort(), options, 10_000)) {
            return c.send(Hl7.bytes(Hl7.adt("2.4", "A04", controlId)));
        }
    }

    @Test
    void tlsClientTrustingTheCaGetsAa() throws Exception {
        String id = Hl7.controlId("TLS");
        Ack ack = sendTls(tls, new TlsOptions(truststore, PW, null, null), id);
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo(id);
        assertThat(MllpFramingIT.queuedCount(tls, id)).isEqualTo(1);
    }

    @Test
    void clientThatDoesNotTrustTheServerCannotConnect() {
        // The JVM's default truststore does not know the test CA.
        assertThatThrownBy(() -> sendTls(tls, new TlsOptions(null, null, null, null), Hl7.controlId("NOTRUST")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void plainTcpClientOnTheTlsPortGetsNoAck() {
        String id = Hl7.controlId("PLAIN");
        assertThatThrownBy(() -> {
            try (MllpClient c = MllpClient.connect("127.0.0.1", tls.mllpPort(), null, 10_000)) {
                c.send(Hl7.bytes(Hl7.adt("2.4", "A04", id)));
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void mutualTlsClientWithTrustedCertificateGetsAa() throws Exception {
        String id = Hl7.controlId("MTLS");
        Ack ack = sendTls(mutual, new TlsOptions(truststore, PW, clientKeystore, PW), id);
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(MllpFramingIT.queuedCount(mutual, id)).isEqualTo(1);
    }

    @Test
    void mutualTlsRefusesClientWithoutCertificate() throws Exception {
        String id = Hl7.controlId("NOCERT");
        // With TLS 1.3 the client may finish its handshake before the server's refusal arrives,
        // so the refusal shows at connect or at the first read; either way no ACK comes back.
        assertThatThrownBy(() -> sendTls(mutual, new TlsOptions(truststore, PW, null, null), id))
                .isInstanceOf(IOException.class);
        assertThat(MllpFramingIT.queuedCount(mutual, id)).isZero();
    }

    @Test
    void mutualTlsRefusesClientWithUntrustedCertificate() throws Exception {
        String id = Hl7.controlId("ROGUE");
        assertThatThrownBy(() -> sendTls(mutual, new TlsOptions(truststore, PW, untrustedClientKeystore, PW), id))
                .isInstanceOf(IOException.class);
        assertThat(MllpFramingIT.queuedCount(mutual, id)).isZero();
    }

    @Test
    void sendCommandOverMutualTls() throws Exception {
        String id = Hl7.controlId("CLITLS");
        Path file = Files.writeString(dir.resolve(id + ".hl7"), Hl7.withSeparator(Hl7.adt("2.4", "A04", id), "\n"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CpisEngine.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("send", "--host", "localhost", "--port", String.valueOf(mutual.mllpPort()), "--tls",
                "--truststore", truststore.toString(), "--truststore-password", PW,
                "--keystore", clientKeystore.toString(), "--keystore-password", PW, file.toString());
        assertThat(code).as("stderr: " + err).isZero();
        assertThat(out.toString()).contains(": AA " + id + " ");
        assertThat(MllpFramingIT.queuedCount(mutual, id)).isEqualTo(1);
    }
}
