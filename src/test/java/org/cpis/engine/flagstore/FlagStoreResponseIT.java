package org.cpis.engine.flagstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.cpis.engine.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the store's answers go on the wire: a lookup is one body with a Content-Length (HAPI's
 * per-value flushes no longer stream it out in chunks), uncompressed even for a client that accepts
 * gzip; a large answer is still compressed for such a client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlagStoreResponseIT {
    static final String CHILD = "9434765919";

    Database db;
    FlagStoreHarness h;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        db = Database.open(Database.defaultUrl(dir), "", "", 4);
        h = new FlagStoreHarness(db.dataSource());
        FlagStoreSeeder.seedDemo(h.server);
    }

    @AfterAll
    void stop() throws Exception {
        h.close();
        db.close();
    }

    private HttpResponse<byte[]> get(String path, boolean acceptGzip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base + path))
                .header("Authorization", "Bearer " + FlagStoreHarness.LOOKUP);
        if (acceptGzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String lookup() {
        return "/Flag?patient:identifier=" + URLEncoder.encode(FhirIds.NHS_NUMBER + "|", StandardCharsets.UTF_8) + CHILD
                + "&status=active";
    }

    @Test
    void aLookupIsOneBodyWithItsLength() throws Exception {
        HttpResponse<byte[]> r = get(lookup(), false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(CHILD).contains("\"total\":1");
    }

    @Test
    void aLookupGoesUncompressedEvenToAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> r = get(lookup(), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(CHILD);
    }

    @Test
    void aLargeAnswerIsCompressedForAClientThatAcceptsGzip() throws Exception {
        // Every demo flag with its patient and council: well above the compression threshold.
        String all = "/Flag?_count=1000&_include=Flag:author&_include=Flag:subject";
        HttpResponse<byte[]> plain = get(all, false);
        assertThat(plain.body().length).isGreaterThan(org.cpis.engine.http.HttpServer.MIN_GZIP_SIZE);
        HttpResponse<byte[]> r = get(all, true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] body;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            body = in.readAllBytes();
        }
        // The same answer (only the bundle's id and timestamp differ between two searches).
        assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("{\"resourceType\":\"Bundle\"").contains(CHILD)
                .hasSize(plain.body().length);
        assertThat(r.body().length).isLessThan(body.length);
    }
}
