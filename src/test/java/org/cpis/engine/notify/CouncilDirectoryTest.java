package org.cpis.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cpis.engine.delivery.ChannelType;
import org.cpis.engine.delivery.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CouncilDirectoryTest {

    private static final Map<String, String> CONFIG = Map.of("cpis.http.port", "18080", "tstc1.token", "s3cret-token");

    @TempDir
    Path dir;

    @Test
    void shippedDirectoryHasTheDemoCouncilsAndAFallback() {
        CouncilDirectory d = CouncilDirectory.load(Path.of("mappings/councils.yaml"), CONFIG::get);
        CouncilRoute tstc1 = d.resolve("TSTC1");
        assertThat(tstc1.fallbackUsed()).isFalse();
        assertThat(tstc1.target().name()).isEqualTo("Testshire County Council");
        assertThat(tstc1.channels()).containsExactly(ChannelType.FHIR);
        assertThat(tstc1.target().fhir().processMessageUri())
                .hasToString("http://localhost:18080/council-receiver/fhir/$process-message");

        CouncilRoute tstc2 = d.resolve("tstc2");
        assertThat(tstc2.channels()).containsExactly(ChannelType.FHIR, ChannelType.EMAIL);
        assertThat(tstc2.target().email().subjectTag()).isEqualTo("[secure]");

        CouncilRoute tstc9 = d.resolve("TSTC9");
        assertThat(tstc9.fallbackUsed()).isTrue();
        assertThat(tstc9.requestedOds()).isEqualTo("TSTC9");
        assertThat(tstc9.target().fhir().base()).hasToString("http://localhost:18080/council-receiver/fhir");
        assertThat(d.find("TSTC9")).isEmpty();
    }

    @Test
    void readsAuthTimeoutsSecretsAndCertificates() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "file-token\n");
        Path ks = dir.resolve("client.p12");
        Path cert = dir.resolve("tstc2.pem");
        TestPki.Identity id = TestPki.identity("CN=Exampleton City Council");
        TestPki.writePkcs12(ks, id, "pw".toCharArray());
        TestPki.writePem(cert, id.certificate());
        Path file = write("""
                councils:
                  TSTC1:
                    name: Testshire County Council
                    channels:
                      fhir:
                        endpoint: https://council.example/fhir
                        bearer-token: ${tstc1.token}
                        mutual-tls: { keystore: client.p12, password: pw }
                        connect-timeout: 2s
                        request-timeout: 10s
                  TSTC2:
                    name: Exampleton City Council
                    channels:
                      fhir:
                        endpoint: https://exampleton.example/fhir/
                        bearer-token: ${file:token.txt}
                      email:
                        address: cs@exampleton.example
                        subject-tag: "[SECURE]"
                        smime-certificate: tstc2.pem
                fallback:
                  name: Operators
                  channels:
                    email: { address: cpis-operators@nhs.example }
                """);
        CouncilDirectory d = CouncilDirectory.load(file, CONFIG::get);
        Council c1 = d.find("TSTC1").orElseThrow();
        assertThat(c1.fhir().bearerToken()).isEqualTo("s3cret-token");
        assertThat(c1.fhir().clientKeyStore().path()).isEqualTo(ks);
        assertThat(c1.fhir().connectTimeout()).hasSeconds(2);
        assertThat(c1.fhir().toString()).doesNotContain("s3cret-token");
        Council c2 = d.find("TSTC2").orElseThrow();
        assertThat(c2.fhir().bearerToken()).isEqualTo("file-token");
        assertThat(c2.fhir().processMessageUri()).hasToString("https://exampleton.example/fhir/$process-message");
        assertThat(c2.email().smimeCertificate()).isEqualTo(cert);
        assertThat(c2.email().subjectTag()).isEqualTo("[SECURE]");
        assertThat(d.resolve("TSTC9").target().channels()).containsExactly(ChannelType.EMAIL);
        assertThat(d.fallback().destinationEndpoint()).isEqualTo("mailto:cpis-operators@nhs.example");
    }

    @Test
    void badFilesAreReportedWithTheirLineNumber() throws Exception {
        assertFails("""
                councils:
                  TSTC1:
                    name: Testshire
                    channels:
                      fhir:
                        endpoint: not a url
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 6, "endpoint 'not a url'");
        assertFails("""
                councils:
                  TSTC1:
                    name: Testshire
                    channels:
                      fhir:
                        endpoint: http://x.example/fhir
                        bearer-token: ${no.such.key}
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 7, "placeholder ${no.such.key} has no value");
        assertFails("""
                councils:
                  TSTC1:
                    name: Testshire
                    chanels:
                      fhir: { endpoint: http://x.example/fhir }
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 4, "unknown key 'chanels'");
        assertFails("""
                councils:
                  TSTC1:
                    name: Testshire
                    channels: { email: { address: a@b.example } }
                """, 1, "'fallback:' is required");
        assertFails("""
                councils:
                  tst-1:
                    name: Testshire
                    channels: { email: { address: a@b.example } }
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 2, "not an ODS code");
        assertFails("""
                councils:
                  TSTC1:
                    name: Testshire
                    channels: { email: { address: "not an address" } }
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 4, "is not an email address");
        assertFails("""
                councils:
                  TSTC1:
                    name: [unclosed
                fallback: x
                """, 4, "not valid YAML");
        assertFails("""
                councils:
                  TSTC1:
                    name: A
                    channels: { email: { address: a@b.example } }
                  TSTC1:
                    name: B
                    channels: { email: { address: a@b.example } }
                fallback:
                  name: F
                  channels: { email: { address: a@b.example } }
                """, 5, "duplicate key 'TSTC1'");
    }

    private void assertFails(String yaml, int line, String text) throws Exception {
        Path file = write(yaml);
        assertThatThrownBy(() -> CouncilDirectory.load(file, CONFIG::get))
                .isInstanceOf(CouncilDirectoryException.class)
                .hasMessageContaining("line " + line + ":")
                .hasMessageContaining(text)
                .satisfies(e -> assertThat(((CouncilDirectoryException) e).line()).isEqualTo(line));
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("councils.yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
