package org.cpis.engine.flagstore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.config.EngineConfig;
import org.cpis.engine.flagstore.auth.TokenStore;

/**
 * Settings of the embedded flag store. {@link #fromConfig} reads the {@code cpis.flagstore.*} and
 * {@code cpis.security.tokens-file} keys; tests build it directly with their own clock and tokens.
 *
 * @param clock            the store's "today" for visibility (injectable so tests hit window edges)
 * @param visibility       the visibility windows
 * @param tokens           bearer tokens and their roles
 * @param defaultPageSize  search page size when the caller gives no {@code _count}
 * @param maxPageSize      largest {@code _count} honoured
 * @param auditReads       record reads and searches of flags (writes are always recorded)
 */
public record FlagStoreSettings(Clock clock, FlagVisibility visibility, TokenStore tokens,
                                int defaultPageSize, int maxPageSize, boolean auditReads) {

    public FlagStoreSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(tokens, "tokens");
        if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
            throw new IllegalArgumentException("page sizes must satisfy 1 <= default <= max");
        }
    }

    public static FlagStoreSettings of(Clock clock, TokenStore tokens) {
        return new FlagStoreSettings(clock, FlagVisibility.defaults(), tokens, 20, 1000, true);
    }

    public FlagStoreSettings withClock(Clock c) {
        return new FlagStoreSettings(c, visibility, tokens, defaultPageSize, maxPageSize, auditReads);
    }

    public FlagStoreSettings withTokens(TokenStore t) {
        return new FlagStoreSettings(clock, visibility, t, defaultPageSize, maxPageSize, auditReads);
    }

    public FlagStoreSettings withVisibility(FlagVisibility v) {
        return new FlagStoreSettings(clock, v, tokens, defaultPageSize, maxPageSize, auditReads);
    }

    /** Reads the engine configuration. The tokens file must exist (a store nobody can use is a mistake). */
    public static FlagStoreSettings fromConfig(EngineConfig config) {
        String tokensFile = config.get("cpis.security.tokens-file", "");
        if (tokensFile.isEmpty()) {
            throw new ConfigException("cpis.security.tokens-file", "is required for the flag store");
        }
        int ended = config.getInt("cpis.flagstore.visibility.ended-days", FlagVisibility.DEFAULT_ENDED_VISIBLE_DAYS);
        int due = config.getInt("cpis.flagstore.visibility.due-date-days", FlagVisibility.DEFAULT_DUE_DATE_GRACE_DAYS);
        if (ended < 0) {
            throw new ConfigException("cpis.flagstore.visibility.ended-days", "must not be negative");
        }
        if (due < 0) {
            throw new ConfigException("cpis.flagstore.visibility.due-date-days", "must not be negative");
        }
        int def = config.getInt("cpis.flagstore.page-size", 20);
        int max = config.getInt("cpis.flagstore.max-page-size", 1000);
        if (def < 1 || max < def) {
            throw new ConfigException("cpis.flagstore.page-size", "must be at least 1 and not above cpis.flagstore.max-page-size");
        }
        return new FlagStoreSettings(Clock.systemUTC(), new FlagVisibility(ended, due),
                TokenStore.fromFile(Path.of(tokensFile)), def, max,
                config.getBoolean("cpis.flagstore.audit-reads", true));
    }
}
