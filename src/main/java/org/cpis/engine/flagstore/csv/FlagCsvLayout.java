package org.cpis.engine.flagstore.csv;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cpis.engine.config.ConfigException;

/** The CSV layout of {@code mappings/flag-csv.yaml}: columns to flag fields, flag types to codes. */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class FlagCsvLayout {
    public static final String FILE_NAME = "flag-csv.yaml";
    public static final List<String> FIELDS = List.of("localId", "nhsNumber", "flagType", "startDate", "endDate", "dueDate");
    static final List<String> REQUIRED = List.of("localId", "nhsNumber", "flagType");

    public String delimiter = ",";
    public List<String> dateFormats = List.of("yyyy-MM-dd");
    public Map<String, String> columns = new LinkedHashMap<>();
    public Map<String, String> flagTypes = new LinkedHashMap<>();

    /** The file in the mappings folder on disk when it exists, else the copy inside the jar. */
    public static FlagCsvLayout load(Path mappingsDir) {
        Path file = mappingsDir == null ? null : mappingsDir.resolve(FILE_NAME);
        try {
            if (file != null && Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return parse(in, file.toString());
                }
            }
            try (InputStream in = FlagCsvLayout.class.getResourceAsStream("/mappings/" + FILE_NAME)) {
                if (in == null) {
                    throw new ConfigException("cpis.mappings.dir", "has no " + FILE_NAME + " and the jar has none either");
                }
                return parse(in, "mappings/" + FILE_NAME + " (built in)");
            }
        } catch (IOException e) {
            throw new ConfigException("cpis.mappings.dir", "cannot read " + FILE_NAME + ": " + e.getMessage());
        }
    }

    static FlagCsvLayout parse(InputStream in, String where) {
        ObjectMapper om = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        FlagCsvLayout l;
        try {
            l = om.readValue(in, FlagCsvLayout.class);
        } catch (IOException e) {
            throw new ConfigException("cpis.mappings.dir", where + ": " + e.getMessage().split("\n")[0]);
        }
        l.check(where);
        return l;
    }

    private void check(String where) {
        if (delimiter == null || delimiter.length() != 1) {
            throw new ConfigException("cpis.mappings.dir", where + ": delimiter must be one character");
        }
        for (String k : columns.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new ConfigException("cpis.mappings.dir", where + ": columns." + k + " is not a flag field " + FIELDS);
            }
        }
        for (String r : REQUIRED) {
            if (columns.get(r) == null || columns.get(r).isBlank()) {
                throw new ConfigException("cpis.mappings.dir", where + ": columns." + r + " is required");
            }
        }
        for (String f : dateFormats) {
            try {
                DateTimeFormatter.ofPattern(f);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("cpis.mappings.dir", where + ": bad date format '" + f + "'");
            }
        }
        if (flagTypes.isEmpty()) {
            throw new ConfigException("cpis.mappings.dir", where + ": flagTypes must list at least one type");
        }
    }

    char delimiterChar() {
        return delimiter.charAt(0);
    }

    List<DateTimeFormatter> formatters() {
        List<DateTimeFormatter> out = new ArrayList<>();
        dateFormats.forEach(f -> out.add(DateTimeFormatter.ofPattern(f, Locale.ROOT)));
        return out;
    }

    static String norm(String header) {
        return header == null ? "" : header.trim().toLowerCase(Locale.ROOT);
    }
}
