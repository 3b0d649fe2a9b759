package org.cpis.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.cpis.engine.config.EngineConfig;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {

    private static EngineConfig config(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return EngineConfig.load(p, Map.of());
    }

    @Test
    void defaultsNeedNoSmtpAndDeriveTheEngineEndpoint() {
        NotifyConfig c = NotifyConfig.from(config("cpis.http.port", "18081"));
        assertThat(c.engineEndpoint()).isEqualTo("http://localhost:18081/fhir");
        assertThat(c.senderOds()).isEqualTo("RX1");
        assertThat(c.smtp()).isNull();
        assertThat(c.receiverEnabled()).isTrue();
        assertThat(c.receiverStoreDir()).isNull();
    }

    @Test
    void smtpSettingsComeFromTheirKeys() {
        NotifyConfig c = NotifyConfig.from(config("cpis.smtp.host", "send.nhs.example", "cpis.smtp.from", "cpis@nhs.example",
                "cpis.smtp.username", "cpis", "cpis.smtp.password", "pw", "cpis.smtp.timeout", "5s"));
        assertThat(c.smtp().host()).isEqualTo("send.nhs.example");
        assertThat(c.smtp().port()).isEqualTo(587);
        assertThat(c.smtp().timeout()).hasSeconds(5);
        assertThat(c.smtp().toString()).doesNotContain("pw");
        assertThatThrownBy(() -> NotifyConfig.from(config("cpis.smtp.host", "send.nhs.example")))
                .hasMessageContaining("cpis.smtp.from");
    }

    @Test
    void directoryLoadsFromTheMappingsFolderOrTheJarCopy() {
        CouncilDirectory disk = CouncilDirectory.load(config("cpis.mappings.dir", "mappings", "cpis.http.port", "18082"));
        assertThat(disk.resolve("TSTC1").target().fhir().base()).hasToString("http://localhost:18082/council-receiver/fhir");
        CouncilDirectory jar = CouncilDirectory.load(config("cpis.mappings.dir", "no-such-folder", "cpis.http.port", "18083"));
        assertThat(jar.resolve("TSTC2").channels()).hasSize(2);
        assertThatThrownBy(() -> CouncilDirectory.load(config("cpis.notify.councils-file", "nope.yaml")))
                .isInstanceOf(CouncilDirectoryException.class).hasMessageContaining("nope.yaml: file not found");
    }
}
