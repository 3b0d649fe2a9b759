package org.cpis.engine.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate detection on sender + MSH-10, in Camel's JDBC idempotent repository.
 *
 * <p>Why check and confirm as two steps rather than Camel's idempotentConsumer EIP: the key must
 * be recorded only after the message is durably queued. If the key were written first and the
 * enqueue then failed, the sender's retry would be taken for a duplicate, answered AA, and lost.
 * Recording it after means a crash in between can only queue a message twice, which the
 * processing stage detects.
 */
public final class DuplicateGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateGuard.class);
    static final String PROCESSOR = "receive-adt";

    private final JdbcMessageIdRepository repository;
    private final DataSource dataSource;
    private final Duration window;

    public DuplicateGuard(DataSource dataSource, Duration window) {
        this.dataSource = dataSource;
        this.window = window;
        this.repository = new JdbcMessageIdRepository(dataSource, PROCESSOR);
        // Flyway owns the schema.
        repository.setCreateTableIfNotExists(false);
    }

    public JdbcMessageIdRepository repository() {
        return repository;
    }

    /** Sets the duplicate header: true when this sender's MSH-10 was seen within the window. */
    public void check(Exchange exchange) {
        Message m = exchange.getMessage();
        String key = m.getHeader(IntakeHeaders.DUPLICATE_KEY, String.class);
        m.setHeader(IntakeHeaders.DUPLICATE, repository.contains(key));
    }

    /** Records the key once the message is in the queue. */
    public void confirm(Exchange exchange) {
        repository.add(exchange.getMessage().getHeader(IntakeHeaders.DUPLICATE_KEY, String.class));
    }

    /** Forgets keys older than the window; run on a timer by the {@code purge-duplicate-keys} route. */
    public int purge() throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM camel_messageprocessed WHERE processorname = ? AND createdat < ?")) {
            ps.setString(1, PROCESSOR);
            ps.setTimestamp(2, Timestamp.from(Instant.now().minus(window)));
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.debug("Purged {} duplicate-detection keys older than {}", n, window);
            }
            return n;
        }
    }
}
