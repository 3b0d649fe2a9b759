package org.cpis.engine.pipeline.batch;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.support.DefaultConsumer;
import org.cpis.engine.db.GroupCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.JmsResourceHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Takes up to {@code batchSize} messages that have already arrived into one local JMS transaction,
 * runs each through the route on its own exchange, commits the database writes the route deferred
 * (exchange property {@link GroupCommit#DEFERRED_WRITES}) in one transaction, then commits the JMS
 * transaction: the received messages and every send the route made. Two durable commits per batch
 * instead of two per message, which is what held the routine lane back (its consumers spent 90% of
 * their time waiting on those commits).
 *
 * <p>Same guarantees as the per-message consumer: the database rows commit before the messages are
 * acknowledged, so a crash in between redelivers messages the received-messages record already
 * marks as done. If any message fails, the whole batch rolls back: nothing of it was written, and
 * the broker redelivers every message with its back-off. A redelivered message is then taken on
 * its own, so one failing message delays its neighbours once and fails alone after that.
 *
 * <p>Sends in the route join the batch's session the way they join a Spring listener's: the
 * session is bound to the thread under the {@code jms} component's connection factory.
 */
final class BatchJmsConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BatchJmsConsumer.class);

    private final BatchJmsEndpoint endpoint;
    private final ConnectionFactory connectionFactory;
    private final GroupCommit commits;
    private final List<Thread> threads = new ArrayList<>();
    private final Object pause = new Object();
    private volatile boolean running;

    BatchJmsConsumer(BatchJmsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.connectionFactory = endpoint.getComponent().connectionFactory();
        this.commits = endpoint.getComponent().commits();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        JmsBinding binding = endpoint.jmsEndpoint().getBinding();
        for (int i = 0; i < endpoint.getConsumers(); i++) {
            Thread t = new Thread(() -> consume(binding), "jms-batch[" + endpoint.getQueue() + "] #" + (i + 1));
            threads.add(t);
            t.start();
        }
    }

    /** Lets each thread finish and commit the batch in hand. */
    @Override
    protected void doStop() throws Exception {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                LOG.warn("{} did not finish its batch within 30 s; it is rolled back when the broker closes", t.getName());
            }
        }
        threads.clear();
        super.doStop();
    }

    private void consume(JmsBinding binding) {
        while (running) {
            try (Connection connection = connectionFactory.createConnection()) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(endpoint.getQueue()));
                connection.start();
                while (running) {
                    List<Message> batch = take(consumer);
                    if (!batch.isEmpty()) {
                        process(batch, session, binding);
                    }
                }
                consumer.close();
                session.close();
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    // A broker restart or a lost connection: whatever was in hand rolls back with it.
                    LOG.warn("jms-batch consumer of {} failed ({}); reconnecting in 1 s", endpoint.getQueue(),
                            e.getClass().getSimpleName());
                    pauseBeforeRetry();
                }
            }
        }
    }

    /** The next message (waiting up to the receive timeout), and any that have already arrived behind it. */
    private List<Message> take(MessageConsumer consumer) throws JMSException {
        Message first = consumer.receive(endpoint.getReceiveTimeout());
        if (first == null) {
            return List.of();
        }
        List<Message> batch = new ArrayList<>(endpoint.getBatchSize());
        batch.add(first);
        // A redelivery goes alone: it may be the message that failed its batch.
        if (!first.getJMSRedelivered()) {
            Message next;
            while (batch.size() < endpoint.getBatchSize() && (next = consumer.receiveNoWait()) != null) {
                batch.add(next);
            }
        }
        return batch;
    }

    private void process(List<Message> batch, Session session, JmsBinding binding) throws JMSException {
        List<GroupCommit.Work> writes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Exception failure = null;
        TransactionSynchronizationManager.bindResource(connectionFactory, new JmsResourceHolder(session));
        try {
            for (int i = 0; i < batch.size() && failure == null; i++) {
                failure = runRoute(batch.get(i), session, binding, writes, keys);
            }
            if (failure == null && !writes.isEmpty()) {
                commits.execute(c -> {
                    for (GroupCommit.Work w : writes) {
                        w.run(c);
                    }
                }, writes.size());
            }
        } catch (SQLException e) {
            failure = e;
        } finally {
            TransactionSynchronizationManager.unbindResource(connectionFactory);
        }
        if (failure == null) {
            session.commit();
        } else {
            session.rollback();
            // The route's error handler has logged the failure itself; no message content here.
            LOG.warn("Batch of {} from {} rolled back ({}); the broker redelivers each message", batch.size(),
                    endpoint.getQueue(), failure.getClass().getSimpleName());
        }
    }

    /** One message through the route on its own exchange; the failure, or null when it went through. */
    private Exception runRoute(Message m, Session session, JmsBinding binding, List<GroupCommit.Work> writes,
            Set<String> keys) {
        Exchange exchange = createExchange(false);
        try {
            exchange.setIn(new JmsMessage(exchange, m, session, binding));
            exchange.setProperty(GroupCommit.DEFERRED_WRITES, writes);
            exchange.setProperty(GroupCommit.DEFERRED_KEYS, keys);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                return exchange.getException();
            }
            return exchange.isRollbackOnly() ? new IllegalStateException("the route marked the exchange rollback-only") : null;
        } catch (Exception e) {
            return e;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void pauseBeforeRetry() {
        synchronized (pause) {
            try {
                pause.wait(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
