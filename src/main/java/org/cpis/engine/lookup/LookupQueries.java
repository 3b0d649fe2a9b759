package org.cpis.engine.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.cpis.engine.config.ConfigException;

/**
 * The flag-store search templates from {@code mappings/lookup.yaml}: the per-patient search and
 * the two index queries. {@code {nhs}} and {@code {since}} are replaced, URL-encoded.
 *
 * @param search per-patient search, must contain {@code {nhs}}
 * @param indexFull every flag with enough to know its patient's NHS number
 * @param indexIncremental flags changed since {@code {since}}
 */
public record LookupQueries(String search, String indexFull, String indexIncremental) {

    public static final String FILE = "lookup.yaml";

    /** Chained form: works on the embedded store and on HAPI FHIR JPA servers. */
    public static final String CHAINED =
            "Flag?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}&_include=Flag:author";
    /** FGM-IS form: the embedded store answers it, HAPI FHIR JPA refuses it (HAPI-2498). */
    public static final String MODIFIER =
            "Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}&_include=Flag:author";

    public LookupQueries {
        if (search == null || !search.contains("{nhs}")) {
            throw new ConfigException("lookup.yaml search", "must be a query containing {nhs}");
        }
        if (indexIncremental != null && !indexIncremental.contains("{since}")) {
            throw new ConfigException("lookup.yaml index.incremental", "must contain {since}");
        }
    }

    public static LookupQueries defaults() {
        return new LookupQueries(CHAINED, "Flag?_include=Flag:subject&_count=1000",
                "Flag?_lastUpdated=gt{since}&_include=Flag:subject&_count=1000");
    }

    /** Loads {@code lookup.yaml} from the mappings folder on disk, else the copy in the jar. */
    public static LookupQueries load(Path mappingsDir) {
        Path file = mappingsDir == null ? null : mappingsDir.resolve(FILE);
        try {
            if (file != null && Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return parse(in, file.toString());
                }
            }
            try (InputStream in = LookupQueries.class.getResourceAsStream("/mappings/" + FILE)) {
                return in == null ? defaults() : parse(in, "classpath:mappings/" + FILE);
            }
        } catch (IOException e) {
            throw new ConfigException("cpis.mappings.dir", "cannot read " + FILE + ": " + e.getMessage());
        }
    }

    static LookupQueries parse(InputStream in, String where) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        if (root == null || !root.hasNonNull("search")) {
            throw new ConfigException(where, "has no 'search' template");
        }
        LookupQueries d = defaults();
        JsonNode index = root.path("index");
        return new LookupQueries(root.get("search").asText(),
                index.hasNonNull("full") ? index.get("full").asText() : d.indexFull(),
                index.hasNonNull("incremental") ? index.get("incremental").asText() : d.indexIncremental());
    }

    public String searchFor(String nhsNumber) {
        return search.replace("{nhs}", enc(nhsNumber));
    }

    public String incrementalSince(Instant since) {
        return indexIncremental.replace("{since}", enc(DateTimeFormatter.ISO_INSTANT.format(since)));
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
