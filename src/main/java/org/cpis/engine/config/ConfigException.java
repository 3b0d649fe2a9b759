package org.cpis.engine.config;

/** A configuration value that is missing or wrong; the message names the key and the fault. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + " " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
