package org.cpis.engine.flagstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.cpis.engine.config.ConfigException;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.auth.DemoTokens;
import org.cpis.engine.flagstore.auth.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @Test
    void readsRolesAndReloadsWhenTheFileChanges(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tokens.properties");
        Files.writeString(f, "# comment\n\nabc=admin\nlk = lookup\nc1=council:tstc1\n");
        TokenStore ts = TokenStore.fromFile(f);
        assertThat(ts.resolve("abc")).contains(Caller.ADMIN);
        assertThat(ts.resolve("lk")).contains(Caller.LOOKUP);
        assertThat(ts.resolve("c1")).contains(Caller.council("TSTC1"));
        assertThat(ts.resolve("nope")).isEmpty();
        assertThat(ts.resolve(null)).isEmpty();
        Files.writeString(f, "new=council:TSTC2\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(ts.resolve("abc")).isEmpty();
        assertThat(ts.resolve("new")).contains(Caller.council("TSTC2"));
    }

    @Test
    void badLinesNameTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tokens.properties");
        Files.writeString(f, "abc=admin\nxyz=superuser\n");
        assertThatThrownBy(() -> TokenStore.fromFile(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2").hasMessageContaining("superuser");
        assertThatThrownBy(() -> TokenStore.fromFile(dir.resolve("missing"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpis.security.tokens-file");
    }

    @Test
    void demoTokensFileIsWrittenUnderTheDataFolder(@TempDir Path dir) throws Exception {
        Path f = DemoTokens.write(dir);
        assertThat(f).isEqualTo(dir.resolve("demo-tokens.properties"));
        TokenStore ts = TokenStore.fromFile(f);
        assertThat(ts.resolve(DemoTokens.ADMIN)).contains(Caller.ADMIN);
        assertThat(ts.resolve(DemoTokens.LOOKUP)).contains(Caller.LOOKUP);
        assertThat(ts.resolve(DemoTokens.COUNCIL_TSTC1)).contains(Caller.council("TSTC1"));
        assertThat(ts.resolve(DemoTokens.COUNCIL_TSTC2)).contains(Caller.council("TSTC2"));
    }
}
