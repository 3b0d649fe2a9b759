package org.cpis.engine.pipeline.batch;

import jakarta.jms.ConnectionFactory;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.cpis.engine.db.GroupCommit;

/**
 * {@code jms-batch:QUEUE?consumers=4&batchSize=16}: takes a queue's messages in batches, one JMS
 * transaction and one database commit per batch instead of per message. Each message still runs
 * through the route on its own exchange, exactly as from the {@code jms} component; only the
 * commits are shared. See {@link BatchJmsConsumer}.
 */
public final class BatchJmsComponent extends DefaultComponent {
    private final ConnectionFactory connectionFactory;
    private final GroupCommit commits;

    /**
     * @param connectionFactory the factory the {@code jms} component sends with, so sends in the
     *                          route join the batch's transaction
     * @param commits           where the writes the route defers (see {@link GroupCommit#DEFERRED_WRITES})
     *                          are committed, once per batch
     */
    public BatchJmsComponent(ConnectionFactory connectionFactory, GroupCommit commits) {
        this.connectionFactory = connectionFactory;
        this.commits = commits;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BatchJmsEndpoint endpoint = new BatchJmsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    GroupCommit commits() {
        return commits;
    }
}
