package org.cpis.engine.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.apache.camel.impl.DefaultCamelContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https flag store signed by a private CA: trusted through cpis.lookup.store.tls.truststore, refused without it. */
class FlagStoreTlsIT {

    @TempDir
    static Path dir;
    static FhirContext fhir;
    static TestFlagStore store;
    static Server https;
    static int port;
    static Path truststore;
    static DefaultCamelContext camel;

    @BeforeAll
    static void start() throws Exception {
        fhir = FhirContext.forR4Cached();
        store = new TestFlagStore(fhir);
        store.activeFlag("9434765919", FlagKind.CHILD_PROTECTION_PLAN, "TSTC1");

        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))), name,
                kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", kp.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        Path keystore = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, "pw".toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        truststore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            ts.store(out, "tpw".toCharArray());
        }

        https = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStorePassword("pw");
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration hc = new HttpConfiguration();
        hc.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(https, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(hc));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        https.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        ctx.addServlet(new ServletHolder(store.restfulServer()), "/fhir/*");
        https.setHandler(ctx);
        https.start();
        port = connector.getLocalPort();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.stop();
        https.stop();
        store.close();
    }

    static FlagLookup lookup(FlagStoreSettings s, String bean) {
        camel.getRegistry().bind(bean, FlagStoreClientFactory.create(s));
        return new FlagLookup(new CamelFhirGateway(camel, bean), LookupQueries.defaults(),
                VisibilityRules.defaults(java.time.Clock.systemUTC()), FlagPresenceCache.NONE, 20);
    }

    @Test
    void trustedThroughTheConfiguredTruststore() {
        FlagStoreSettings plain = FlagStoreSettings.plain("https://127.0.0.1:" + port + "/fhir");
        FlagStoreSettings s = new FlagStoreSettings(plain.baseUrl(), plain.auth(), null, null, null, truststore, "tpw",
                "PKCS12", plain.connectTimeout(), plain.readTimeout(), 4);
        assertThat(lookup(s, "tlsClient").lookup("9434765919")).singleElement()
                .extracting(FlagMatch::councilOds).isEqualTo("TSTC1");
    }

    @Test
    void refusedWithoutIt() {
        FlagLookup l = lookup(FlagStoreSettings.plain("https://127.0.0.1:" + port + "/fhir"), "untrustedClient");
        assertThatThrownBy(() -> l.lookup("9434765919")).isInstanceOfSatisfying(FlagLookupException.class,
                e -> assertThat(e.reason()).isEqualTo(FlagLookupException.Reason.UNREACHABLE));
    }
}
