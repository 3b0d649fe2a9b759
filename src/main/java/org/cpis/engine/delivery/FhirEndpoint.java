package org.cpis.engine.delivery;

import java.net.URI;
import java.time.Duration;

/**
 * A council's FHIR messaging endpoint and how to reach it.
 *
 * @param base the FHIR base URL; messages go to {@code [base]/$process-message}
 * @param bearerToken sent as {@code Authorization: Bearer}, or null
 * @param clientKeyStore client certificate and key for mutual TLS, or null
 * @param trustStore trust for the council's server certificate, or null (the JVM's default trust)
 * @param connectTimeout TCP/TLS connect time limit
 * @param requestTimeout time limit for the whole answer
 */
public record FhirEndpoint(URI base, String bearerToken, KeyStoreRef clientKeyStore, KeyStoreRef trustStore,
        Duration connectTimeout, Duration requestTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** An endpoint with no authentication and default time limits. */
    public static FhirEndpoint of(String base) {
        return new FhirEndpoint(URI.create(base), null, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /** {@code [base]/$process-message}. */
    public URI processMessageUri() {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b : b + "/") + "$process-message");
    }

    @Override
    public String toString() {
        return "FhirEndpoint[" + base + (bearerToken != null ? ", bearer" : "") + (clientKeyStore != null ? ", mutual-tls" : "") + "]";
    }
}
