package org.cpis.engine.intake;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.config.EngineConfig;

/** TLS for the MLLP listener, from the {@code cpis.mllp.tls.*} keys. */
public final class MllpTls {
    private MllpTls() {
    }

    /** The SSL parameters the {@code receive-adt} endpoint uses when {@code cpis.mllp.tls.enabled} is true. */
    public static SSLContextParameters parameters(EngineConfig config) {
        SSLContextParameters p = new SSLContextParameters();
        if (!config.getBoolean("cpis.mllp.tls.enabled", false)) {
            return p;
        }
        String keystore = config.get("cpis.mllp.tls.keystore", "");
        if (keystore.isEmpty()) {
            throw new ConfigException("cpis.mllp.tls.keystore", "is required when cpis.mllp.tls.enabled is true");
        }
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + keystore);
        ks.setPassword(config.get("cpis.mllp.tls.keystore-password", ""));
        ks.setType(config.get("cpis.mllp.tls.keystore-type", "PKCS12"));
        KeyManagersParameters km = new KeyManagersParameters();
        km.setKeyStore(ks);
        km.setKeyPassword(config.get("cpis.mllp.tls.keystore-password", ""));
        p.setKeyManagers(km);
        String truststore = config.get("cpis.mllp.tls.truststore", "");
        if (!truststore.isEmpty()) {
            KeyStoreParameters ts = new KeyStoreParameters();
            ts.setResource("file:" + truststore);
            ts.setPassword(config.get("cpis.mllp.tls.truststore-password", ""));
            ts.setType(config.get("cpis.mllp.tls.truststore-type", "PKCS12"));
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setKeyStore(ts);
            p.setTrustManagers(tm);
        }
        boolean clientAuth = config.getBoolean("cpis.mllp.tls.client-auth", false);
        if (clientAuth && truststore.isEmpty()) {
            throw new ConfigException("cpis.mllp.tls.truststore", "is required when cpis.mllp.tls.client-auth is true");
        }
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(clientAuth ? "REQUIRE" : "NONE");
        p.setServerParameters(server);
        return p;
    }
}
