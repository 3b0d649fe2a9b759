package org.cpis.engine.flagstore.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fixed, documented tokens for the demo ({@code run --demo}) only. They are written to
 * {@code <data>/demo-tokens.properties} at start; a real deployment writes its own tokens file and
 * points {@code cpis.security.tokens-file} at it. Never use these values outside a demo.
 */
public final class DemoTokens {
    public static final String ADMIN = "demo-admin";
    public static final String LOOKUP = "demo-lookup";
    public static final String COUNCIL_TSTC1 = "demo-council-TSTC1";
    public static final String COUNCIL_TSTC2 = "demo-council-TSTC2";
    public static final String COUNCIL_TSTC9 = "demo-council-TSTC9";
    public static final String FILE_NAME = "demo-tokens.properties";

    private DemoTokens() {
    }

    /** Token → role, in file order. */
    public static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ADMIN, "admin");
        m.put(LOOKUP, "lookup");
        m.put(COUNCIL_TSTC1, "council:TSTC1");
        m.put(COUNCIL_TSTC2, "council:TSTC2");
        m.put(COUNCIL_TSTC9, "council:TSTC9");
        return m;
    }

    /** Writes {@code <dataDir>/demo-tokens.properties} (overwriting it) and returns its path. */
    public static Path write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        StringBuilder sb = new StringBuilder();
        sb.append("# Demo bearer tokens (cpis-engine run --demo). TOKEN=ROLE; roles: admin | lookup | council:<ODS>.\n");
        sb.append("# Documented in docs/flag-store.md. Not for real use.\n");
        all().forEach((t, r) -> sb.append(t).append('=').append(r).append('\n'));
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
