package org.cpis.engine.pipeline;

/** Exchange headers and properties the processing stages set for their routes. */
public final class StageHeaders {
    private StageHeaders() {
    }

    /** Property: where the route sends the message next ({@code lookup}, {@code deliver}, or absent: stop). */
    public static final String NEXT = "cpisNext";
    /** Property: the status to record on the received message once the hand-on is done. */
    public static final String STATUS = "cpisStatus";
    /** Property: the outcome text to record with it. */
    public static final String OUTCOME = "cpisOutcome";
    public static final String NOTIFICATION_ID = "CpisNotificationId";
    public static final String CHANNEL = "CpisChannel";
    /** Artemis: epoch millis before which a message is not delivered (durable delayed retry). */
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
}
