package org.cpis.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cpis.engine.testing.EngineFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SIGTERM only {@code run}'s hook may stop the engine: it stops the parts in reverse order. A
 * part's own JVM hook runs at the same moment and races it. Camel Main's did: now and then it left
 * the stop waiting Camel's whole shutdown timeout (45 s + 15 s) for a context that only
 * {@code run}'s hook would stop, and a supervisor would have killed the engine first.
 */
class ShutdownHooksIT {
    /**
     * H2 adds this for every file database. With the engine's DB_CLOSE_ON_EXIT=FALSE it only writes
     * a checkpoint and leaves the database open for the stages to finish (H2 2.x Database.onShutdown).
     */
    static final String H2_CHECKPOINT_HOOK = "org.h2.engine.OnExitDatabaseCloser";

    @TempDir
    Path dataDir;

    @Test
    void startingAnEngineAddsNoJvmShutdownHookThatStopsAPart() throws Exception {
        Set<Thread> before = registeredHooks();
        try (EngineFixture engine = EngineFixture.start(dataDir, Map.of())) {
            Set<Thread> added = registeredHooks();
            added.removeAll(before);
            assertThat(added).extracting(t -> t.getClass().getName() + " " + t.getName())
                    .as("JVM shutdown hooks added by the engine")
                    .allMatch(hook -> hook.startsWith(H2_CHECKPOINT_HOOK + " "));
        }
    }

    /** The JDK keeps the hooks private; surefire opens java.lang to the tests for this one read. */
    @SuppressWarnings("unchecked")
    static Set<Thread> registeredHooks() throws Exception {
        Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
        Field field = hooks.getDeclaredField("hooks");
        field.setAccessible(true);
        synchronized (hooks) {
            return new HashSet<>(((Map<Thread, Thread>) field.get(null)).keySet());
        }
    }
}
