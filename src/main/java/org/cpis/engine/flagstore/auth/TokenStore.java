package org.cpis.engine.flagstore.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cpis.engine.config.ConfigException;

/**
 * Bearer tokens from the secrets file named by {@code cpis.security.tokens-file}: one {@code TOKEN=ROLE}
 * per line, blank lines and {@code #} comments ignored. Only SHA-256 digests of the tokens are kept in
 * memory. The file is read again when its modification time changes, so tokens can be rotated live.
 */
public final class TokenStore {
    private final Path file;
    /** Tokens the engine holds for itself (its own lookups), never written to any file. */
    private final Map<String, Caller> internal;
    private volatile Map<String, Caller> byDigest;
    private volatile FileTime loadedAt;

    private TokenStore(Path file, Map<String, Caller> byDigest, FileTime loadedAt) {
        this(file, Map.of(), byDigest, loadedAt);
    }

    private TokenStore(Path file, Map<String, Caller> internal, Map<String, Caller> byDigest, FileTime loadedAt) {
        this.file = file;
        this.internal = internal;
        this.byDigest = byDigest;
        this.loadedAt = loadedAt;
    }

    /** Reads the tokens file; a missing file or bad line is a configuration error naming the line. */
    public static TokenStore fromFile(Path file) {
        TokenStore ts = new TokenStore(file, Map.of(), null);
        ts.reload();
        return ts;
    }

    /** Tokens given in code (tests). */
    public static TokenStore of(Map<String, Caller> tokens) {
        Map<String, Caller> m = new HashMap<>();
        tokens.forEach((t, c) -> m.put(digest(t), c));
        return new TokenStore(null, Map.copyOf(m), null);
    }

    /** This store plus one in-memory token, e.g. the engine's own lookup token. */
    public TokenStore withInternalToken(String token, Caller caller) {
        Map<String, Caller> m = new HashMap<>(internal);
        m.put(digest(token), caller);
        return new TokenStore(file, Map.copyOf(m), byDigest, loadedAt);
    }

    /** The caller a token belongs to, if any. */
    public Optional<Caller> resolve(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String d = digest(token);
        Caller own = internal.get(d);
        if (own != null) {
            return Optional.of(own);
        }
        reloadIfChanged();
        return Optional.ofNullable(byDigest.get(d));
    }

    public int size() {
        return byDigest.size();
    }

    private void reloadIfChanged() {
        if (file == null) {
            return;
        }
        try {
            FileTime t = Files.getLastModifiedTime(file);
            if (!t.equals(loadedAt)) {
                reload();
            }
        } catch (IOException | ConfigException e) {
            // Keep the tokens we have: a half-written file must not lock everyone out.
        }
    }

    private synchronized void reload() {
        String key = "cpis.security.tokens-file";
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key, "file not found: " + file);
        }
        try {
            FileTime t = Files.getLastModifiedTime(file);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Map<String, Caller> m = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0 || eq == line.length() - 1) {
                    throw new ConfigException(key, file + " line " + (i + 1) + ": expected TOKEN=ROLE");
                }
                Caller c;
                try {
                    c = Caller.parse(line.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, file + " line " + (i + 1) + ": " + e.getMessage());
                }
                m.put(digest(line.substring(0, eq).trim()), c);
            }
            byDigest = Map.copyOf(m);
            loadedAt = t;
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
