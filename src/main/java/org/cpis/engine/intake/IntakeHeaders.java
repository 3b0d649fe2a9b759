package org.cpis.engine.intake;

/**
 * Names of the exchange headers intake sets. Those starting {@code Cpis} travel on with the
 * message in the durable queue as JMS properties.
 */
public final class IntakeHeaders {
    private IntakeHeaders() {
    }

    /** {@code accepted} or {@code rejected}. */
    public static final String OUTCOME = "CpisIntakeOutcome";
    /** Unique id intake gives each message it enqueues; downstream de-duplicates redeliveries on it. */
    public static final String MESSAGE_ID = "CpisMessageId";
    public static final String CONTROL_ID = "CpisControlId";
    public static final String SENDING_APPLICATION = "CpisSendingApplication";
    public static final String SENDING_FACILITY = "CpisSendingFacility";
    public static final String EVENT = "CpisEvent";
    public static final String VERSION = "CpisVersion";
    public static final String CHARSET = "CpisCharset";
    /** Epoch milliseconds when the message arrived. */
    public static final String RECEIVED_AT = "CpisReceivedAt";
    public static final String DUPLICATE_KEY = "CpisDuplicateKey";
    /** True when the message was already received within the duplicate window. */
    public static final String DUPLICATE = "CpisDuplicate";
    /** JMS message group: keeps one patient's messages in order while patients run in parallel. */
    public static final String GROUP_ID = "JMSXGroupID";
}
