package org.cpis.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The engine's configuration. A key is looked up, first match wins, in: system properties
 * ({@code -Dcpis.mllp.port=2576}), environment ({@code CPIS_MLLP_PORT=2576}), an optional
 * {@code application.properties} in the working folder (or the file named by
 * {@code cpis.config.file}), and last the defaults inside the jar.
 */
public final class EngineConfig {

    private final Properties defaults;
    private final Properties overrides;
    private final Map<String, String> env;

    private EngineConfig(Properties defaults, Properties overrides, Map<String, String> env) {
        this.defaults = defaults;
        this.overrides = overrides;
        this.env = env;
    }

    /** Loads the configuration the running engine sees. */
    public static EngineConfig load() {
        return load(new Properties(), System.getenv());
    }

    /** Loads with explicit overrides (tests, and {@code run} options), which win over everything. */
    public static EngineConfig load(Properties overrides, Map<String, String> env) {
        Properties defaults = new Properties();
        try (InputStream in = EngineConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in application.properties", e);
        }
        String file = firstNonNull(overrides.getProperty("cpis.config.file"), System.getProperty("cpis.config.file"),
                env.get("CPIS_CONFIG_FILE"));
        Path local = Path.of(file != null ? file : "application.properties");
        if (Files.isRegularFile(local)) {
            try (Reader r = Files.newBufferedReader(local, StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.load(r);
                defaults.putAll(p);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + local + ": " + e.getMessage(), e);
            }
        } else if (file != null) {
            throw new IllegalStateException("configuration file not found: " + file);
        }
        return new EngineConfig(defaults, overrides, env);
    }

    /** Environment variable name for a key: {@code cpis.mllp.max-connections} is {@code CPIS_MLLP_MAX_CONNECTIONS}. */
    public static String envName(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString();
    }

    /** A copy of this configuration in which {@code extra} wins over everything. */
    public EngineConfig with(Properties extra) {
        Properties merged = new Properties();
        merged.putAll(overrides);
        merged.putAll(extra);
        return new EngineConfig(defaults, merged, env);
    }

    public String get(String key) {
        String v = overrides.getProperty(key);
        if (v == null) {
            v = System.getProperty(key);
        }
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null) {
            v = defaults.getProperty(key);
        }
        return v == null ? null : v.trim();
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public String require(String key) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            throw new ConfigException(key, "is required");
        }
        return v;
    }

    public int getInt(String key, int fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + v + "'");
        }
    }

    public long getLong(String key, long fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigException(key, "must be true or false, got '" + v + "'");
    }

    public java.time.Duration getDuration(String key, java.time.Duration fallback) {
        String v = get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** The data folder; every file the engine writes lives below it. */
    public Path dataDir() {
        return Path.of(get("cpis.data.dir", "./data")).toAbsolutePath().normalize();
    }

    /** Every key known here, for the configuration dump in the logs (values of secrets are not shown). */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        defaults.stringPropertyNames().forEach(keys::add);
        overrides.stringPropertyNames().forEach(keys::add);
        return keys;
    }

    /** Every property, resolved, as Camel initial properties so routes can use {@code {{key}}}. */
    public Properties resolved() {
        Properties p = new Properties();
        for (String k : keys()) {
            String v = get(k);
            if (v != null) {
                p.setProperty(k, v);
            }
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("cpis.") || k.startsWith("camel.")) {
                p.setProperty(k, get(k));
            }
        }
        return p;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
