package org.cpis.engine.lookup;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.cpis.engine.config.ConfigException;

/**
 * Builds the HAPI {@link IGenericClient} that camel-fhir uses for the flag store. It does what
 * camel-fhir's own client set-up does (timeouts, basic or bearer auth, no conformance check) and
 * adds the one thing camel-fhir cannot: a truststore for https.
 */
public final class FlagStoreClientFactory {

    private FlagStoreClientFactory() {
    }

    /** A client with its own FhirContext (see {@link #create(FhirContext, FlagStoreSettings)}). */
    public static IGenericClient create(FlagStoreSettings s) {
        return create(FhirContext.forR4(), s);
    }

    /**
     * @param dedicated a FhirContext used for nothing else: HAPI takes the HTTP client for every
     *     request from the context's restful client factory (not from the client's own), so this
     *     replaces that factory. Never pass the shared {@code FhirContext.forR4Cached()}.
     */
    public static IGenericClient create(FhirContext dedicated, FlagStoreSettings s) {
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(dedicated);
        // The store is known; fetching /metadata before the first call only adds latency.
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setHttpClient(httpClient(s));
        dedicated.setRestfulClientFactory(factory);
        IGenericClient client = factory.newGenericClient(s.baseUrl());
        client.setEncoding(EncodingEnum.JSON);
        switch (s.auth()) {
            case BASIC -> client.registerInterceptor(new BasicAuthInterceptor(s.username(), s.password()));
            case BEARER -> client.registerInterceptor(new BearerTokenAuthInterceptor(s.bearerToken()));
            default -> {
            }
        }
        return client;
    }

    private static CloseableHttpClient httpClient(FlagStoreSettings s) {
        SSLConnectionSocketFactory tls = s.truststore() == null
                ? SSLConnectionSocketFactory.getSystemSocketFactory()
                : new SSLConnectionSocketFactory(sslContext(s));
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", tls)
                        .build());
        pool.setMaxTotal(s.maxConnections());
        pool.setDefaultMaxPerRoute(s.maxConnections());
        // Re-check pooled connections idle for a while, so a store restart costs no failed lookup.
        pool.setValidateAfterInactivity(2000);
        RequestConfig rc = RequestConfig.custom()
                .setConnectTimeout((int) s.connectTimeout().toMillis())
                .setConnectionRequestTimeout((int) s.connectTimeout().toMillis())
                .setSocketTimeout((int) s.readTimeout().toMillis())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(rc)
                .disableCookieManagement()
                .build();
    }

    static SSLContext sslContext(FlagStoreSettings s) {
        try (InputStream in = Files.newInputStream(s.truststore())) {
            KeyStore ks = KeyStore.getInstance(s.truststoreType());
            char[] pw = s.truststorePassword() == null ? new char[0] : s.truststorePassword().toCharArray();
            ks.load(in, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new ConfigException("cpis.lookup.store.tls.truststore",
                    "cannot be loaded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
