package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cpis.engine.db.Database;
import org.cpis.engine.db.GroupCommit;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processing stage's exactly-once record on a real H2 database: a redelivery of a message that
 * finished is skipped, but a redelivery after an attempt that failed (or crashed) part-way runs again.
 */
class ReceivedMessagesIT {
    @TempDir
    static Path dir;
    static Database db;
    static ReceivedMessages received;
    static DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeAll
    static void open() {
        db = Database.open(Database.defaultUrl(dir), "", "", 2);
        received = new ReceivedMessages(db.dataSource(), db.groupCommit(), Duration.ofDays(7));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Exchange delivery(String messageId, String controlId) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(IntakeHeaders.MESSAGE_ID, messageId);
        e.getMessage().setHeader(IntakeHeaders.CONTROL_ID, controlId);
        e.getMessage().setHeader(IntakeHeaders.SENDING_APPLICATION, Hl7.SENDING_APP);
        e.getMessage().setHeader(IntakeHeaders.SENDING_FACILITY, Hl7.SENDING_FACILITY);
        e.getMessage().setHeader(IntakeHeaders.EVENT, "ADT^A04");
        e.getMessage().setHeader(IntakeHeaders.VERSION, "2.4");
        e.getMessage().setHeader(IntakeHeaders.RECEIVED_AT, System.currentTimeMillis());
        return e;
    }

    static boolean skipped(Exchange e) {
        return Boolean.TRUE.equals(e.getProperty(ReceivedMessages.ALREADY_PROCESSED));
    }

    @Test
    void redeliveryOfAFinishedMessageIsSkipped() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String controlId = Hl7.controlId("RM");
        Exchange first = delivery(messageId, controlId);
        received.begin(first);
        assertThat(skipped(first)).isFalse();
        received.finish(first, "processed", "received");

        Exchange again = delivery(messageId, controlId);
        received.begin(again);
        assertThat(skipped(again)).isTrue();
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM received_message WHERE message_id = ?",
                messageId)).containsExactly(1L);
    }

    @Test
    void redeliveryAfterAnAttemptThatFailedPartWayRunsAgain() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String controlId = Hl7.controlId("RMF");
        Exchange first = delivery(messageId, controlId);
        received.begin(first);
        assertThat(skipped(first)).isFalse();
        // The attempt fails (or the JVM dies) before finish: JMS rolls back and redelivers.

        Exchange redelivery = delivery(messageId, controlId);
        received.begin(redelivery);
        assertThat(skipped(redelivery)).as("a failed attempt must be retried, not taken as done").isFalse();
        received.finish(redelivery, "processed", "received");
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT status FROM received_message WHERE message_id = ?",
                messageId)).containsExactly("processed");
    }

    @Test
    void aMessageHandedToLookupIsMappedAgainOnRedelivery() throws Exception {
        String messageId = UUID.randomUUID().toString();
        Exchange first = delivery(messageId, Hl7.controlId("RMM"));
        received.begin(first);
        received.finish(first, "mapped", "handed to lookup");
        // A crash between this row's commit and the JMS commit that hands the attendance on.
        Exchange redelivery = delivery(messageId, first.getMessage().getHeader(IntakeHeaders.CONTROL_ID, String.class));
        received.begin(redelivery);
        assertThat(skipped(redelivery)).as("the hand-on may not have happened").isFalse();
        assertThat(redelivery.getProperty(ReceivedMessages.ROW_EXISTS)).isEqualTo(true);
        received.finish(redelivery, "processed", "no flag");
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT status FROM received_message WHERE message_id = ?",
                messageId)).as("the row is updated, not written twice").containsExactly("processed");
    }

    @Test
    void aNewMessageIsInsertedWithoutProbingForItsRow() throws Exception {
        String messageId = UUID.randomUUID().toString();
        Exchange first = delivery(messageId, Hl7.controlId("RMN"));
        received.begin(first);
        assertThat(first.getProperty(ReceivedMessages.ROW_EXISTS)).isEqualTo(false);
        received.finish(first, "processed", "no flag");
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT status FROM received_message WHERE message_id = ?",
                messageId)).containsExactly("processed");

        // Should a row appear after begin all the same, the insert fails (and the stage's batch rolls
        // back for a redelivery), rather than the message being recorded twice.
        Exchange stale = delivery(messageId, first.getMessage().getHeader(IntakeHeaders.CONTROL_ID, String.class));
        stale.setProperty(ReceivedMessages.ROW_EXISTS, false);
        assertThatThrownBy(() -> received.finish(stale, "processed", "no flag"))
                .isInstanceOf(SQLException.class);
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT COUNT(*) FROM received_message WHERE message_id = ?",
                messageId)).containsExactly(1L);
    }

    @Test
    void anotherCopyOfAProcessedControlIdIsSkipped() throws Exception {
        String controlId = Hl7.controlId("RMD");
        processedCopy(controlId);
        Exchange copy = delivery(UUID.randomUUID().toString(), controlId);
        received.begin(copy);
        assertThat(skipped(copy)).isTrue();
    }

    @Test
    void theSameControlIdFromAnotherSenderOrBeforeTheWindowIsNotSkipped() throws Exception {
        String controlId = Hl7.controlId("RMW");
        processedCopy(controlId);

        Exchange otherSender = delivery(UUID.randomUUID().toString(), controlId);
        otherSender.getMessage().setHeader(IntakeHeaders.SENDING_APPLICATION, "OTHERSYS");
        received.begin(otherSender);
        assertThat(skipped(otherSender)).as("another sender's message with the same MSH-10").isFalse();

        // Received after the window had passed since the first copy (7 days here).
        Exchange later = delivery(UUID.randomUUID().toString(), controlId);
        later.getMessage().setHeader(IntakeHeaders.RECEIVED_AT, System.currentTimeMillis() + Duration.ofDays(8).toMillis());
        received.begin(later);
        assertThat(skipped(later)).as("a resend after the duplicate window").isFalse();
    }

    @Test
    void aMessageWhoseOwnRowIsUnfinishedRunsAgainBesideAProcessedCopy() throws Exception {
        String controlId = Hl7.controlId("RMO");
        processedCopy(controlId);
        // Both copies were queued; this one got as far as the lookup stage before a crash.
        String messageId = UUID.randomUUID().toString();
        received.finish(delivery(messageId, controlId), "mapped", "handed to lookup");

        Exchange redelivery = delivery(messageId, controlId);
        received.begin(redelivery);
        assertThat(skipped(redelivery)).as("its own row says the hand-on may not have happened").isFalse();
    }

    @Test
    void aSecondCopyInTheSameBatchIsSkippedBeforeTheFirstCopysRowIsWritten() throws Exception {
        String controlId = Hl7.controlId("RMB");
        List<GroupCommit.Work> writes = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Exchange first = inBatch(delivery(UUID.randomUUID().toString(), controlId), writes, keys);
        received.begin(first);
        assertThat(skipped(first)).isFalse();
        received.finish(first, "processed", "no flag");
        assertThat(writes).as("the row waits for the batch's commit").hasSize(1);

        Exchange copy = inBatch(delivery(UUID.randomUUID().toString(), controlId), writes, keys);
        received.begin(copy);
        assertThat(skipped(copy)).as("the same sender's control id, earlier in this batch").isTrue();

        Exchange otherSender = inBatch(delivery(UUID.randomUUID().toString(), controlId), writes, keys);
        otherSender.getMessage().setHeader(IntakeHeaders.SENDING_APPLICATION, "OTHERSYS");
        received.begin(otherSender);
        assertThat(skipped(otherSender)).isFalse();
    }

    private static Exchange inBatch(Exchange e, List<GroupCommit.Work> writes, Set<String> keys) {
        e.setProperty(GroupCommit.DEFERRED_WRITES, writes);
        e.setProperty(GroupCommit.DEFERRED_KEYS, keys);
        return e;
    }

    /** Another message with this control id, received and processed. */
    private void processedCopy(String controlId) throws Exception {
        Exchange copy = delivery(UUID.randomUUID().toString(), controlId);
        received.begin(copy);
        received.finish(copy, "processed", "no flag");
    }

    @Test
    void receivedMessageIdsAreTakenInBlocks() {
        // H2 wrote its sequence back in a commit of its own every 32 ids (V12).
        assertThat(EngineFixture.queryColumn(db.dataSource(), "SELECT identity_cache FROM information_schema.columns"
                + " WHERE table_name = 'received_message' AND column_name = 'id'")).containsExactly(1000L);
    }
}
