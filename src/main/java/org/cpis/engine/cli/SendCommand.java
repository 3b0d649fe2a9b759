package org.cpis.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.mllp.MllpClient;
import org.cpis.engine.mllp.MllpClient.TlsOptions;
import org.cpis.engine.mllp.Hl7Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code send}: an MLLP client that sends each message of each file and prints each ACK. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send HL7 v2 messages over MLLP and print each ACK (MSA-1, MSA-2, text).",
            "A file may hold one or many messages, with CR, LF or CRLF segment separators.",
            "Exit code 0 only when every ACK is AA or CA; 1 otherwise; 2 for usage errors."})
public final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "HL7 file(s) to send.")
    List<Path> files;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "Engine host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "MLLP port (default: cpis.mllp.port, 2575).")
    Integer port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Seconds to wait for each ACK (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--tls", description = "Use MLLP over TLS.")
    boolean tls;

    @Option(names = "--truststore", paramLabel = "FILE", description = "Truststore (PKCS12) with the engine's CA; default: the JVM's.")
    Path truststore;

    @Option(names = "--truststore-password", paramLabel = "PASSWORD", description = "Truststore password.")
    String truststorePassword;

    @Option(names = "--keystore", paramLabel = "FILE", description = "Keystore (PKCS12) with this client's certificate, for mutual TLS.")
    Path keystore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD", description = "Keystore password.")
    String keystorePassword;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int p = port != null ? port : EngineConfig.load().getInt("cpis.mllp.port", 2575);
        TlsOptions tlsOptions = tls || keystore != null || truststore != null
                ? new TlsOptions(truststore, truststorePassword, keystore, keystorePassword) : null;
        boolean allAccepted = true;
        int sent = 0;
        try (MllpClient client = MllpClient.connect(host, p, tlsOptions, timeoutSeconds * 1000)) {
            for (Path file : files) {
                List<byte[]> messages;
                try {
                    messages = Hl7Files.split(Files.readAllBytes(file));
                } catch (NoSuchFileException e) {
                    err.println("cpis-engine send: " + file + ": no such file");
                    return 1;
                }
                if (messages.isEmpty()) {
                    err.println("cpis-engine send: " + file + ": no HL7 message (no line starts with MSH)");
                    allAccepted = false;
                    continue;
                }
                int n = 0;
                for (byte[] message : messages) {
                    n++;
                    Ack ack = client.send(message);
                    sent++;
                    out.printf("%s#%d: %s %s %s%n", file, n, ack.code(), ack.controlId(), ack.text());
                    if (ack.error() != null && !ack.error().isEmpty()) {
                        out.printf("  ERR %s%n", ack.error());
                    }
                    if (!ack.accepted()) {
                        allAccepted = false;
                    }
                }
            }
        } catch (IOException e) {
            err.println("cpis-engine send: " + host + ":" + p + ": " + e.getMessage());
            return 1;
        }
        out.flush();
        return allAccepted && sent > 0 ? 0 : 1;
    }
}
