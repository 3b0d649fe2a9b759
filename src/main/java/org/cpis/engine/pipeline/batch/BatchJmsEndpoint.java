package org.cpis.engine.pipeline.batch;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** A queue consumed in batches; consumer only. */
public final class BatchJmsEndpoint extends DefaultEndpoint {
    private final String queue;
    private int consumers = 4;
    private int batchSize = 16;
    private long receiveTimeout = 1000;

    BatchJmsEndpoint(String uri, BatchJmsComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("jms-batch only consumes; send with the jms component");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (consumers < 1 || batchSize < 1) {
            throw new IllegalArgumentException("jms-batch:" + queue + " needs consumers and batchSize of at least 1");
        }
        BatchJmsConsumer consumer = new BatchJmsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public BatchJmsComponent getComponent() {
        return (BatchJmsComponent) super.getComponent();
    }

    /** The plain JMS endpoint of the same queue: its binding turns a JMS message into an exchange as usual. */
    JmsEndpoint jmsEndpoint() {
        return getCamelContext().getEndpoint("jms:queue:" + queue, JmsEndpoint.class);
    }

    public String getQueue() {
        return queue;
    }

    public int getConsumers() {
        return consumers;
    }

    /** Threads taking batches; one patient's messages (a JMS group) always go to the same one. */
    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Most messages in one transaction; a batch is whatever has arrived, up to this. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    /** Milliseconds an idle consumer waits for a message before it checks whether it should stop. */
    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }
}
