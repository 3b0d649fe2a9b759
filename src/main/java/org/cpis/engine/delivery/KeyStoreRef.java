package org.cpis.engine.delivery;

import java.nio.file.Path;

/**
 * A keystore or truststore file with its password (already resolved from its secret reference).
 *
 * @param path the file
 * @param password the store password (never logged; {@link #toString()} hides it)
 * @param type {@code PKCS12} or {@code JKS}
 */
public record KeyStoreRef(Path path, char[] password, String type) {
    @Override
    public String toString() {
        return "KeyStoreRef[" + path + ", " + type + "]";
    }
}
