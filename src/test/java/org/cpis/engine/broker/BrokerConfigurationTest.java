package org.cpis.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigurationTest {

    @Test
    void pagedQueuesShareSyncsOnTheSameTimeoutAsTheJournal(@TempDir Path dir) throws Exception {
        Configuration cfg = Broker.embeddedConfiguration(dir, -1, 1000, Duration.ofMillis(2), 64L << 20);
        // Left at Artemis' default (3.3 ms), a backlog past memory-mb would add that to every ACK.
        assertThat(cfg.getJournalBufferTimeout_NIO()).isEqualTo(2_000_000);
        assertThat(cfg.getPageSyncTimeout()).isEqualTo(2_000_000);
        assertThat(cfg.isJournalSyncNonTransactional()).isTrue();
        assertThat(cfg.getGlobalMaxSize()).isEqualTo(64L << 20);
    }
}
