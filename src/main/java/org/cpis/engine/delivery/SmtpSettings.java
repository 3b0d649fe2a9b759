package org.cpis.engine.delivery;

import java.time.Duration;
import org.cpis.engine.config.EngineConfig;

/**
 * How the engine submits email (cpis.smtp.* keys). STARTTLS is always required: there is no switch
 * to send in clear.
 *
 * @param host SMTP submission server, e.g. {@code send.nhs.net}
 * @param port usually 587
 * @param username login (authentication is required when set)
 * @param password its password
 * @param from envelope and header sender address
 * @param connectTimeout connect time limit
 * @param timeout read/write time limit per command
 * @param trustStore trust for the server certificate, or null for the JVM default trust
 */
public record SmtpSettings(String host, int port, String username, String password, String from,
        Duration connectTimeout, Duration timeout, KeyStoreRef trustStore) {

    public static SmtpSettings from(EngineConfig c) {
        String ts = c.get("cpis.smtp.truststore", "");
        return new SmtpSettings(c.require("cpis.smtp.host"), c.getInt("cpis.smtp.port", 587), c.get("cpis.smtp.username", ""),
                c.get("cpis.smtp.password", ""), c.require("cpis.smtp.from"),
                c.getDuration("cpis.smtp.connect-timeout", Duration.ofSeconds(10)),
                c.getDuration("cpis.smtp.timeout", Duration.ofSeconds(30)),
                ts.isEmpty() ? null : new KeyStoreRef(java.nio.file.Path.of(ts),
                        c.get("cpis.smtp.truststore-password", "").toCharArray(), c.get("cpis.smtp.truststore-type", "PKCS12")));
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + ", user=" + username + ", from=" + from + "]";
    }
}
