package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsAreUuidsUniqueWithinARunAndBetweenRuns() {
        MessageIds run1 = new MessageIds();
        MessageIds run2 = new MessageIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(run1.next())).isTrue();
            assertThat(seen.add(run2.next())).isTrue();
        }
        String id = run1.next();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(id.substring(0, 18)).as("the run part differs between runs").isNotEqualTo(run2.next().substring(0, 18));
    }
}
