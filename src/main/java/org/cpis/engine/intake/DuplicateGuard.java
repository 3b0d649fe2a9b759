package org.cpis.engine.intake;

import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duplicate detection at intake: the same sender (MSH-3, MSH-4) and MSH-10 within the duplicate
 * window is answered AA as a duplicate and not queued again.
 *
 * <p>Why no database statement for a new message: a key table read before and written after every
 * enqueue halved intake's throughput at 32 connections (docs/performance.md, session 15). Every
 * message's durable record is its {@code received_message} row, which the attendance stage writes
 * and by which it skips a second copy of the same sender's control id within the window; intake's
 * check only spares that copy the queue and tells the sender. So:
 * <ul>
 *   <li>a {@link KeyFilter} of the keys met (loaded from {@code received_message} at start, then
 *       each key queued) answers "certainly new" for nearly every message;</li>
 *   <li>a key it may have met is looked up exactly: in the last keys queued ({@link RecentKeys}),
 *       whose rows the stage may not have written yet, then in {@code received_message}.</li>
 * </ul>
 *
 * <p>The key is recorded only after the message is durably queued: recorded first, a failed enqueue
 * would make the sender's retry look like a duplicate, answered AA and lost. What intake cannot
 * see (a copy of a message still queued when the engine restarted, or queued so long ago that its
 * key has left the recent keys while its row is not yet written) is queued again and skipped by
 * the attendance stage. A failed lookup counts as new for the same reason, so a database outage
 * does not stop intake: the broker holds the messages until the stages can write again.
 */
public final class DuplicateGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateGuard.class);
    /** Keys per filter slice and slices kept: 8 million keys in about 10 MB, 1% looked up for nothing. */
    static final int SLICE_KEYS = 1_000_000;
    static final int MAX_SLICES = 8;
    /** Keys whose rows may not be written yet: minutes of a busy site's traffic in a few MB. */
    static final int RECENT_KEYS = 20_000;

    private final ReceivedMessages received;
    private final KeyFilter filter;
    private final RecentKeys recent;
    private final Runnable onQueued;

    /**
     * @param received the durable record of every message, and the window duplicates are looked for in
     * @param onQueued told of each message queued (not of duplicates), for the engine's counters
     */
    public DuplicateGuard(ReceivedMessages received, Runnable onQueued) {
        this(received, onQueued, new KeyFilter(SLICE_KEYS, MAX_SLICES), new RecentKeys(RECENT_KEYS));
    }

    DuplicateGuard(ReceivedMessages received, Runnable onQueued, KeyFilter filter, RecentKeys recent) {
        this.received = received;
        this.onQueued = onQueued;
        this.filter = filter;
        this.recent = recent;
    }

    /**
     * Puts the keys of the messages received within the window into the filter; run once at start,
     * before intake opens. Returns how many.
     */
    public int load() throws SQLException {
        return received.keysWithin(filter::put);
    }

    /** Sets the exchange property {@link IntakeHeaders#DUPLICATE}: true when this sender's MSH-10 was seen within the window. */
    public void check(Exchange exchange) {
        Message m = exchange.getMessage();
        exchange.setProperty(IntakeHeaders.DUPLICATE, contains(exchange.getProperty(IntakeHeaders.DUPLICATE_KEY, String.class),
                m.getHeader(IntakeHeaders.SENDING_APPLICATION, String.class),
                m.getHeader(IntakeHeaders.SENDING_FACILITY, String.class),
                m.getHeader(IntakeHeaders.CONTROL_ID, String.class)));
    }

    /** True when the key was queued or received within the window, as far as intake can tell. */
    boolean contains(String key, String app, String facility, String controlId) {
        if (!filter.mightContain(key)) {
            return false;
        }
        if (recent.contains(key)) {
            return true;
        }
        try {
            return received.receivedWithin(app, facility, controlId);
        } catch (SQLException e) {
            LOG.warn("Duplicate check could not read received messages ({}): the message is queued and the"
                    + " attendance stage skips it if it is a copy", e.getClass().getSimpleName());
            return false;
        }
    }

    /** Records the key once the message is in the queue. */
    public void confirm(Exchange exchange) {
        queued(exchange.getProperty(IntakeHeaders.DUPLICATE_KEY, String.class));
    }

    void queued(String key) {
        onQueued.run();
        filter.put(key);
        recent.add(key);
    }
}
