package org.cpis.engine.lookup;

import java.nio.file.Path;
import java.time.Duration;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.config.EngineConfig;

/**
 * How to reach the flag store (keys {@code cpis.lookup.store.*}, documented in application.properties).
 *
 * @param baseUrl FHIR base URL
 * @param auth none, basic or bearer
 * @param username basic-auth user
 * @param password basic-auth password
 * @param bearerToken bearer token
 * @param truststore PKCS12/JKS file of CAs to trust for https, or null for the JVM default
 * @param truststorePassword its password
 * @param truststoreType PKCS12 or JKS
 * @param connectTimeout TCP connect timeout
 * @param readTimeout socket read timeout
 * @param maxConnections HTTP connection pool size
 */
public record FlagStoreSettings(String baseUrl, Auth auth, String username, String password, String bearerToken,
        Path truststore, String truststorePassword, String truststoreType, Duration connectTimeout,
        Duration readTimeout, int maxConnections) {

    public enum Auth { NONE, BASIC, BEARER }

    public static FlagStoreSettings plain(String baseUrl) {
        return new FlagStoreSettings(baseUrl, Auth.NONE, null, null, null, null, null, "PKCS12",
                Duration.ofSeconds(2), Duration.ofSeconds(10), 32);
    }

    public FlagStoreSettings withBearer(String token) {
        return new FlagStoreSettings(baseUrl, Auth.BEARER, null, null, token, truststore, truststorePassword,
                truststoreType, connectTimeout, readTimeout, maxConnections);
    }

    public FlagStoreSettings withBasic(String user, String pass) {
        return new FlagStoreSettings(baseUrl, Auth.BASIC, user, pass, null, truststore, truststorePassword,
                truststoreType, connectTimeout, readTimeout, maxConnections);
    }

    public FlagStoreSettings withTimeouts(Duration connect, Duration read) {
        return new FlagStoreSettings(baseUrl, auth, username, password, bearerToken, truststore, truststorePassword,
                truststoreType, connect, read, maxConnections);
    }

    public static FlagStoreSettings from(EngineConfig config) {
        String base = config.get("cpis.lookup.store.url", "");
        if (base.isEmpty()) {
            base = "http://localhost:" + config.getInt("cpis.http.port", 8080) + "/fhir";
        }
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new ConfigException("cpis.lookup.store.url", "must be an http:// or https:// URL, got '" + base + "'");
        }
        String authText = config.get("cpis.lookup.store.auth", "none").toUpperCase(java.util.Locale.ROOT);
        Auth auth;
        try {
            auth = Auth.valueOf(authText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cpis.lookup.store.auth", "must be none, basic or bearer, got '" + authText + "'");
        }
        if (auth == Auth.BEARER) {
            config.require("cpis.lookup.store.bearer-token");
        } else if (auth == Auth.BASIC) {
            config.require("cpis.lookup.store.username");
        }
        String ts = config.get("cpis.lookup.store.tls.truststore", "");
        return new FlagStoreSettings(base, auth, config.get("cpis.lookup.store.username", ""),
                config.get("cpis.lookup.store.password", ""), config.get("cpis.lookup.store.bearer-token", ""),
                ts.isEmpty() ? null : Path.of(ts), config.get("cpis.lookup.store.tls.truststore-password", ""),
                config.get("cpis.lookup.store.tls.truststore-type", "PKCS12"),
                config.getDuration("cpis.lookup.store.connect-timeout", Duration.ofSeconds(2)),
                config.getDuration("cpis.lookup.store.read-timeout", Duration.ofSeconds(10)),
                config.getInt("cpis.lookup.store.max-connections", 32));
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "FlagStoreSettings[" + baseUrl + ", auth=" + auth + "]";
    }
}
