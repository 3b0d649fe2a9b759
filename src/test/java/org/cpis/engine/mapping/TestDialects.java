package org.cpis.engine.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds throw-away mappings folders: the project's default.yaml plus dialects written inline. */
final class TestDialects {

    static final Path PROJECT_MAPPINGS = Path.of("mappings");

    private TestDialects() {
    }

    /** A mappings folder under {@code tmp} holding the project's default dialect. */
    static Path withDefault(Path tmp) {
        try {
            Path dialects = Files.createDirectories(tmp.resolve("mappings/dialects"));
            Files.copy(PROJECT_MAPPINGS.resolve("dialects/default.yaml"), dialects.resolve("default.yaml"));
            return tmp.resolve("mappings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path mappings, String name, String yaml) {
        try {
            return Files.writeString(mappings.resolve("dialects").resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An engine on the project's own mappings folder. */
    static MappingEngine projectEngine() {
        try {
            return MappingEngine.load(MappingsSource.directory(PROJECT_MAPPINGS));
        } catch (InvalidMappingsException e) {
            throw new IllegalStateException(e.errors().toString(), e);
        }
    }

    static MappingEngine engine(Path mappings) {
        try {
            return MappingEngine.load(MappingsSource.directory(mappings));
        } catch (InvalidMappingsException e) {
            throw new IllegalStateException(e.errors().toString(), e);
        }
    }

    /**
     * One segment from field-number/value pairs, so tests never count pipes:
     * {@code seg("PID", 3, "9434765919^^^NHS^NH", 32, "NSTS01")}. For MSH, numbers are HL7 field
     * numbers too (MSH-1 and MSH-2 are written for you).
     */
    static String seg(String name, Object... numberThenValue) {
        java.util.Map<Integer, String> f = new java.util.HashMap<>();
        int max = 0;
        for (int i = 0; i < numberThenValue.length; i += 2) {
            int n = (Integer) numberThenValue[i];
            f.put(n, (String) numberThenValue[i + 1]);
            max = Math.max(max, n);
        }
        StringBuilder sb = new StringBuilder(name);
        int first = 1;
        if (name.equals("MSH")) {
            sb.append("|^~\\&");
            first = 3;
        }
        for (int i = first; i <= max; i++) {
            sb.append('|').append(f.getOrDefault(i, ""));
        }
        return sb.toString();
    }

    /** Joins segments with CR, as HL7 wants. */
    static String hl7(String... segments) {
        return String.join("\r", segments) + "\r";
    }
}
