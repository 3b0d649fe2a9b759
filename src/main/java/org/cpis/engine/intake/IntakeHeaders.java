package org.cpis.engine.intake;

/**
 * Names of the exchange headers intake sets. Those starting {@code Cpis} travel on with the
 * message in the durable queue as JMS properties, so only what a later stage reads is a header;
 * what intake alone needs is an exchange property ({@code cpis...}), which stays behind. Every
 * property is kept in the broker's memory and journal with each queued message.
 */
public final class IntakeHeaders {
    private IntakeHeaders() {
    }

    /** Exchange property: {@code accepted} or {@code rejected}. */
    public static final String OUTCOME = "cpisIntakeOutcome";
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
    /** Exchange property: sender + MSH-10, the duplicate-detection key. */
    public static final String DUPLICATE_KEY = "cpisDuplicateKey";
    /** Exchange property: true when the message was already received within the duplicate window. */
    public static final String DUPLICATE = "cpisDuplicate";
    /** JMS message group: keeps one patient's messages in order while patients run in parallel. */
    public static final String GROUP_ID = "JMSXGroupID";
}
