package org.cpis.engine.notify;

import java.nio.file.Path;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.delivery.SmtpSettings;

/**
 * The notification keys of application.properties (block "Notifications and delivery").
 *
 * @param engineEndpoint MessageHeader.source.endpoint
 * @param senderOds MessageHeader.sender ODS code
 * @param senderName its name
 * @param smtp SMTP settings, or null when {@code cpis.smtp.host} is empty (email deliveries then wait)
 * @param receiverEnabled serve the reference council receiver at /council-receiver/fhir
 * @param receiverStoreDir folder for the receiver's copies, or null (memory only)
 * @param receiverBearerToken token the receiver asks for, or null
 */
public record NotifyConfig(String engineEndpoint, String senderOds, String senderName, SmtpSettings smtp,
        boolean receiverEnabled, Path receiverStoreDir, String receiverBearerToken) {

    public static NotifyConfig from(EngineConfig c) {
        String endpoint = c.get("cpis.notify.engine-endpoint", "");
        if (endpoint.isEmpty()) {
            endpoint = "http://localhost:" + c.getInt("cpis.http.port", 8080) + "/fhir";
        }
        String store = c.get("cpis.council-receiver.store-dir", "");
        String token = c.get("cpis.council-receiver.bearer-token", "");
        return new NotifyConfig(endpoint, c.require("cpis.notify.sender-ods"), c.get("cpis.notify.sender-name", null),
                c.get("cpis.smtp.host", "").isEmpty() ? null : SmtpSettings.from(c),
                c.getBoolean("cpis.council-receiver.enabled", true),
                store.isEmpty() ? null : Path.of(store), token.isEmpty() ? null : token);
    }
}
