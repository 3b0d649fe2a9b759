package org.cpis.engine.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds client SSLContexts from keystore files (mutual TLS, private CAs). */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @param clientKeyStore client certificate for mutual TLS, or null
     * @param trustStore trusted certificates, or null for the JVM's default trust
     */
    public static SSLContext client(KeyStoreRef clientKeyStore, KeyStoreRef trustStore) throws GeneralSecurityException, IOException {
        KeyManager[] kms = null;
        if (clientKeyStore != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(clientKeyStore), clientKeyStore.password());
            kms = kmf.getKeyManagers();
        }
        TrustManager[] tms = null;
        if (trustStore != null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore));
            tms = tmf.getTrustManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tms, null);
        return ctx;
    }

    public static KeyStore load(KeyStoreRef ref) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(ref.type());
        try (InputStream in = Files.newInputStream(ref.path())) {
            ks.load(in, ref.password());
        }
        return ks;
    }
}
