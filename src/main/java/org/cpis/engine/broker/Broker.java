package org.cpis.engine.broker;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.cpis.engine.config.EngineConfig;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue: an embedded Artemis broker with its journal under the data folder, or an
 * external broker named by {@code cpis.broker.url}. Every stage queue is {@code cpis.*}. A message
 * whose stage fails is redelivered with back-off; by default for ever (a flag store or council that
 * is down for hours must not lose anything), or to {@code cpis.dlq} after
 * {@code cpis.broker.max-delivery-attempts} when that is set above 0.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /**
     * Message groups (JMSXGroupID, one per patient) are hashed into this many buckets, each owned by
     * one consumer. Artemis' default keeps a map entry for every group it has ever seen, for the life
     * of the broker: one per patient, so the heap grew with every new patient (tens of MB in a
     * bench run, without bound in a deployment) and G1 spent its time marking it. A patient's
     * messages still always hash to the same bucket, so they stay with one consumer, in order.
     */
    static final int GROUP_BUCKETS = 1024;

    private final EmbeddedActiveMQ embedded;
    private final Configuration configuration;
    private final ActiveMQConnectionFactory clientFactory;
    private final JmsPoolConnectionFactory pool;

    private Broker(EmbeddedActiveMQ embedded, Configuration configuration, ActiveMQConnectionFactory clientFactory) {
        this.embedded = embedded;
        this.configuration = configuration;
        this.clientFactory = clientFactory;
        // Without this every send asks the broker whether the queue exists: a round trip per message.
        clientFactory.setCacheDestinations(true);
        this.pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(clientFactory);
        pool.setMaxConnections(4);
        pool.setMaxSessionsPerConnection(1000);
        // Senders must not wait for a session: fail, answer AE, let them retry.
        pool.setBlockIfSessionPoolIsFull(true);
        pool.setBlockIfSessionPoolIsFullTimeout(5000);
    }

    public static Broker start(EngineConfig config) throws Exception {
        String url = config.get("cpis.broker.url", "");
        if (!url.isEmpty()) {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url,
                    emptyToNull(config.get("cpis.broker.user", "")), emptyToNull(config.get("cpis.broker.password", "")));
            LOG.info("Using external broker");
            return new Broker(null, null, cf);
        }
        Configuration cfg = embeddedConfiguration(config.dataDir().resolve("broker"),
                config.getInt("cpis.broker.max-delivery-attempts", -1),
                config.getDuration("cpis.broker.redelivery-delay", java.time.Duration.ofSeconds(1)).toMillis(),
                config.getDuration("cpis.broker.journal-buffer-timeout", java.time.Duration.ofMillis(1)),
                config.getInt("cpis.broker.memory-mb", 64) * 1024L * 1024L);
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(cfg);
        server.start();
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://0");
        LOG.info("Embedded broker started, journal under {}", cfg.getJournalLocation().getParent());
        return new Broker(server, cfg, cf);
    }

    static Configuration embeddedConfiguration(Path dir, int maxDeliveryAttempts, long redeliveryDelayMs,
            java.time.Duration journalBufferTimeout, long globalMaxSize) throws Exception {
        ConfigurationImpl cfg = new ConfigurationImpl();
        cfg.setName("cpis-engine");
        cfg.setPersistenceEnabled(true);
        cfg.setSecurityEnabled(false);
        cfg.setJMXManagementEnabled(false);
        // NIO works everywhere; AIO needs libaio, which a fresh machine may lack.
        cfg.setJournalType(JournalType.NIO);
        cfg.setJournalDirectory(dir.resolve("journal").toString());
        cfg.setBindingsDirectory(dir.resolve("bindings").toString());
        cfg.setPagingDirectory(dir.resolve("paging").toString());
        cfg.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        cfg.setNodeManagerLockDirectory(dir.toString());
        // Every durable send is synced to disk before the send returns, so an AA is never a lie.
        cfg.setJournalSyncNonTransactional(true);
        cfg.setJournalSyncTransactional(true);
        // Syncs requested within this time share one disk sync. Artemis' NIO default (3.3 ms) is sized
        // for slow disks and is a floor under every ACK; `artemis perf-journal` measures a disk's own.
        cfg.setJournalBufferTimeout_NIO((int) Math.min(Integer.MAX_VALUE, journalBufferTimeout.toNanos()));
        // A queue past memory-mb pages, and every durable send then waits for a page-file sync, whose
        // own timeout defaults to the same 3.3 ms: a backlog would slow every ACK by that much.
        cfg.setPageSyncTimeout((int) Math.min(Integer.MAX_VALUE, journalBufferTimeout.toNanos()));
        // The disk-usage guard would block producers without an error; intake must answer AE instead.
        cfg.setMaxDiskUsage(-1);
        // Messages held in memory before a queue pages to disk (still durable). Artemis' default is
        // half the heap, so a backlog grew the engine by hundreds of MB.
        cfg.setGlobalMaxSize(globalMaxSize);
        cfg.addAcceptorConfiguration("in-vm", "vm://0");
        AddressSettings stage = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("cpis.dlq"))
                .setExpiryAddress(SimpleString.of("cpis.expired"))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(redeliveryDelayMs)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoCreateDeadLetterResources(false)
                .setDefaultGroupBuckets(GROUP_BUCKETS);
        cfg.addAddressSetting("cpis.#", stage);
        return cfg;
    }

    /** The pooled JMS connection factory every Camel JMS endpoint uses. */
    public ConnectionFactory connectionFactory() {
        return pool;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** True when the broker can take messages. */
    public boolean isHealthy() {
        if (embedded != null) {
            return embedded.getActiveMQServer() != null && embedded.getActiveMQServer().isActive();
        }
        try (var c = clientFactory.createConnection()) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Messages ever added to a queue of the embedded broker (-1 for an external broker or no such queue). */
    public long messagesAdded(String queue) {
        var q = embeddedQueue(queue);
        return q == null ? -1 : q.getMessagesAdded();
    }

    /** Messages now in a queue of the embedded broker, delivered but unacknowledged included (-1 as above). */
    public long messageCount(String queue) {
        var q = embeddedQueue(queue);
        return q == null ? -1 : q.getMessageCount();
    }

    /** Message groups a queue of the embedded broker now tracks, at most {@link #GROUP_BUCKETS} (-1 as above). */
    public int messageGroups(String queue) {
        var q = embeddedQueue(queue);
        return q == null ? -1 : q.getGroupCount();
    }

    private org.apache.activemq.artemis.core.server.Queue embeddedQueue(String name) {
        if (embedded == null || embedded.getActiveMQServer() == null) {
            return null;
        }
        return embedded.getActiveMQServer().locateQueue(SimpleString.of(name));
    }

    /** Stops the embedded broker only (tests use this to show AE while it is down). */
    public void stopEmbedded() throws Exception {
        if (embedded != null) {
            embedded.stop();
        }
    }

    /** Starts the embedded broker again after {@link #stopEmbedded()}. */
    public void restartEmbedded() throws Exception {
        if (embedded != null) {
            embedded.start();
            pool.clear();
        }
    }

    @Override
    public void close() throws Exception {
        pool.stop();
        clientFactory.close();
        if (embedded != null) {
            embedded.stop();
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
