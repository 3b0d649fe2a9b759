package org.cpis.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.cpis.engine.delivery.KeyStoreRef;
import org.cpis.engine.delivery.StartTlsFront;
import org.cpis.engine.delivery.TestPki;
import org.cpis.engine.delivery.TlsContexts;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.intake.FastLane;
import org.cpis.engine.lookup.FlaggedNumberIndex;
import org.cpis.engine.lookup.LookupModule;
import org.cpis.engine.mllp.Ack;
import org.cpis.engine.notify.NotificationEvent;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import org.cpis.engine.testing.EngineFixture;
import org.cpis.engine.testing.Hl7;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine in-process, fed over real MLLP: flags created through the embedded store's FHIR
 * API, notifications delivered over real HTTP to council receivers the test runs, and by real SMTP
 * (GreenMail behind STARTTLS, S/MIME) to a council's mailbox. Lookups use the default flag index.
 */
class EndToEndIT {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final char[] PW = "changeit".toCharArray();
    private static final String RECEIVER_TOKEN = "council-only-token";

    @TempDir
    static Path dir;
    static EngineFixture engine;
    static IGenericClient store;
    /** TSTC1, TSTC2 (FHIR side), TSTC5 (A08, A11 tests). */
    static CouncilEndpoint councils;
    static CouncilEndpoint fallback;
    /** TSTC6: taken down and brought back. */
    static CouncilEndpoint flaky;
    /** TSTC7: asks for a bearer token the directory does not send (401). */
    static CouncilEndpoint locked;
    static GreenMail greenMail;
    static StartTlsFront smtpFront;
    static TestPki.Identity tstc2Key;
    static final List<CouncilEndpoint> ALL = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        councils = new CouncilEndpoint(null).start();
        fallback = new CouncilEndpoint(null).start();
        flaky = new CouncilEndpoint(null).start();
        locked = new CouncilEndpoint(RECEIVER_TOKEN).start();
        ALL.addAll(List.of(councils, fallback, flaky, locked));

        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        greenMail.setUser("engine@cpis.example", "engine", "smtp-pass");
        TestPki.Identity smtpServer = TestPki.identity("CN=localhost");
        Path serverKs = dir.resolve("smtp-server.p12");
        TestPki.writePkcs12(serverKs, smtpServer, PW);
        Path smtpTrust = dir.resolve("smtp-trust.p12");
        TestPki.writeTrustStore(smtpTrust, PW, smtpServer.certificate());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsContexts.load(new KeyStoreRef(serverKs, PW, "PKCS12")), PW);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        smtpFront = new StartTlsFront(tls, greenMail.getSmtp().getPort());
        tstc2Key = TestPki.identity("CN=Exampleton City Council, O=TSTC2");
        Path tstc2Cert = dir.resolve("tstc2.pem");
        TestPki.writePem(tstc2Cert, tstc2Key.certificate());

        Path tokens = Files.writeString(dir.resolve("tokens.properties"), E2e.ADMIN_TOKEN + "=admin\n");
        Path directory = Files.writeString(dir.resolve("councils.yaml"), """
                councils:
                  TSTC1:
                    name: Testshire County Council
                    channels:
                      fhir:
                        endpoint: %1$s
                  TSTC2:
                    name: Exampleton City Council
                    channels:
                      fhir:
                        endpoint: %1$s
                      email:
                        address: childrens.services@exampleton.example
                        subject-tag: "[secure]"
                        smime-certificate: %2$s
                  TSTC5:
                    name: Fifthshire Council
                    channels:
                      fhir:
                        endpoint: %1$s
                  TSTC6:
                    name: Flakyshire Council
                    channels:
                      fhir:
                        endpoint: %3$s
                        request-timeout: 5s
                  TSTC8:
                    name: Eighthshire Council
                    channels:
                      email:
                        address: cs@eighthshire.example
                        subject-tag: "[SECURE]"
                  TSTC7:
                    name: Lockedshire Council
                    channels:
                      fhir:
                        endpoint: %4$s
                fallback:
                  name: CP-IS operator fallback
                  channels:
                    fhir:
                      endpoint: %5$s
                """.formatted(councils.baseUrl(), tstc2Cert, flaky.baseUrl(), locked.baseUrl(), fallback.baseUrl()));

        Map<String, String> p = new HashMap<>();
        p.put("cpis.mappings.dir", Path.of("mappings").toAbsolutePath().toString());
        p.put("cpis.security.tokens-file", tokens.toString());
        p.put("cpis.notify.councils-file", directory.toString());
        p.put("cpis.mappings.hot-reload", "false");
        p.put("cpis.broker.redelivery-delay", "200ms");
        p.put("cpis.delivery.retry.initial-delay", "200ms");
        p.put("cpis.delivery.retry.max-delay", "1s");
        p.put("cpis.delivery.retry.give-up-after", "2m");
        p.put("cpis.smtp.host", "localhost");
        p.put("cpis.smtp.port", String.valueOf(smtpFront.port()));
        p.put("cpis.smtp.username", "engine");
        p.put("cpis.smtp.password", "smtp-pass");
        p.put("cpis.smtp.from", "engine@cpis.example");
        p.put("cpis.smtp.truststore", smtpTrust.toString());
        p.put("cpis.smtp.truststore-password", "changeit");
        engine = EngineFixture.start(dir.resolve("data"), p);
        store = E2e.adminClient("http://127.0.0.1:" + engine.engine().http().port() + "/fhir");
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        for (CouncilEndpoint c : ALL) {
            c.close();
        }
        if (smtpFront != null) {
            smtpFront.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Creates a flag through the FHIR API, then lets the index catch up (or go stale and search live). */
    private static String flag(String ods, String nhs, String code, LocalDate start, LocalDate end, LocalDate due) {
        String id = E2e.createFlag(store, ods, nhs, code, start, end, due);
        FlaggedNumberIndex index = engine.engine().camel().getRegistry()
                .lookupByNameAndType(LookupModule.INDEX_BEAN, FlaggedNumberIndex.class);
        if (index != null) {
            try {
                index.refresh();
            } catch (RuntimeException storeRefusedTheIndexQuery) {
                // The index then stays stale and every lookup searches live: the flag is still seen.
            }
        }
        return id;
    }

    private static String flagCpp(String ods, String nhs) {
        return flag(ods, nhs, FhirIds.CODE_CPP, LocalDate.now().minusDays(100), null, null);
    }

    /** Sends over MLLP, checks the AA and waits until the pipeline has finished with the message. */
    private static String send(String message) throws Exception {
        String controlId = Hl7.field(message, "MSH", 10);
        Ack ack = engine.send(message);
        assertThat(ack.code()).as("ACK of %s", controlId).isEqualTo("AA");
        await().atMost(WITHIN).until(() -> engine.processedCount(controlId) == 1);
        return controlId;
    }

    private static String outcome(String controlId) {
        return (String) engine.queryColumn("SELECT outcome FROM received_message WHERE control_id = ?", controlId).get(0);
    }

    private static long notifications(String controlId) {
        return engine.queryLong("SELECT COUNT(*) FROM notification WHERE attendance_control_id = ?", controlId);
    }

    private static String notificationIdOf(String controlId) {
        List<Object> ids = engine.queryColumn("SELECT notification_id FROM notification WHERE attendance_control_id = ?", controlId);
        assertThat(ids).as("notifications of %s", controlId).hasSize(1);
        return (String) ids.get(0);
    }

    private static String deliveryStatus(String notificationId, String channel) {
        List<Object> s = engine.queryColumn("SELECT status FROM delivery WHERE notification_id = ? AND channel = ?",
                notificationId, channel);
        return s.isEmpty() ? null : (String) s.get(0);
    }

    private static Bundle awaitOneBundle(CouncilEndpoint receiver, String nhs) {
        await().atMost(WITHIN).until(() -> receiver.bundlesFor(nhs).size() >= 1);
        List<Bundle> got = receiver.bundlesFor(nhs);
        assertThat(got).hasSize(1);
        assertThat(E2e.validationErrors(got.get(0))).isEmpty();
        return got.get(0);
    }

    private static String id(String prefix) {
        return Hl7.controlId(prefix);
    }

    // ---- over MLLP -----------------------------------------------------------------------------

    @Test
    void flaggedChildIsNotifiedToTheCouncil() throws Exception {
        String nhs = "9434765919";
        flagCpp("TSTC1", nhs);
        String cid = send(E2e.adt("A04", id("FLG"), nhs, "VFLG1", "NSTS01"));
        Bundle b = awaitOneBundle(councils, nhs);
        String nid = notificationIdOf(cid);
        assertThat(b.getIdentifier().getValue()).isEqualTo(nid);
        assertThat(E2e.eventOf(b)).isEqualTo(NotificationEvent.ATTENDANCE_NOTIFICATION.code());
        await().atMost(WITHIN).until(() -> "delivered".equals(deliveryStatus(nid, "fhir")));
        assertThat(outcome(cid)).contains("flag matched");
        assertThat(engine.queryLong("SELECT COUNT(*) FROM notification_decision WHERE notification_id = ?", nid)).isEqualTo(1);
    }

    @Test
    void flaggedChildTakesTheFastLaneAndAnUnflaggedOneTheRoutineQueue() throws Exception {
        String flagged = E2e.newNhsNumber();
        flagCpp("TSTC1", flagged);
        long queued = engine.metric("intake.queued");
        long finished = engine.metric("attendance.finished");
        long writes = engine.metric("db.writes");
        long fast = engine.engine().broker().messagesAdded(FastLane.FLAGGED_QUEUE);
        long routine = engine.engine().broker().messagesAdded(FastLane.ROUTINE_QUEUE);
        String cid = send(E2e.adt("A04", id("FST"), flagged, "VFST1", "NSTS01"));
        assertThat(engine.engine().broker().messagesAdded(FastLane.FLAGGED_QUEUE)).isEqualTo(fast + 1);
        assertThat(engine.engine().broker().messagesAdded(FastLane.ROUTINE_QUEUE)).isEqualTo(routine);
        awaitOneBundle(councils, flagged);
        assertThat(outcome(cid)).contains("flag matched");

        send(E2e.adt("A04", id("RTN"), E2e.newNhsNumber(), "VRTN1", "NSTS01"));
        assertThat(engine.engine().broker().messagesAdded(FastLane.FLAGGED_QUEUE)).isEqualTo(fast + 1);
        assertThat(engine.engine().broker().messagesAdded(FastLane.ROUTINE_QUEUE)).isEqualTo(routine + 1);
        // GET /metrics counts both, queued by intake and finished by the stages.
        assertThat(engine.metric("intake.queued")).isGreaterThanOrEqualTo(queued + 2);
        assertThat(engine.metric("attendance.finished")).isGreaterThanOrEqualTo(finished + 2);
        // And the group commit's: each message's received-message row, in as many commits or fewer.
        await().atMost(WITHIN).until(() -> engine.metric("db.writes") >= writes + 2);
        assertThat(engine.metric("db.commits")).isPositive().isLessThanOrEqualTo(engine.metric("db.writes"));
    }

    @Test
    void unflaggedChildIsNotNotified() throws Exception {
        String nhs = "9449306753";
        String cid = send(E2e.adt("A04", id("UNF"), nhs, "VUNF1", "NSTS01"));
        assertThat(outcome(cid)).isEqualTo("no flag");
        assertThat(notifications(cid)).isZero();
        assertThat(allReceivers().stream().flatMap(r -> r.bundlesFor(nhs).stream())).isEmpty();
    }

    @Test
    void unverifiedNhsNumberIsNotLookedUp() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC1", nhs);
        String cid = send(E2e.adt("A04", id("UNV"), nhs, "VUNV1", "NSTS02"));
        assertThat(outcome(cid)).contains("unverified").contains("not looked up");
        assertThat(notifications(cid)).isZero();
        assertThat(councils.bundlesFor(nhs)).isEmpty();
    }

    @Test
    void unbornChildFlagMatchesThroughTheMothersAdmission() throws Exception {
        String mother = "9449305552";
        LocalDate today = LocalDate.now();
        flag("TSTC2", mother, FhirIds.CODE_UNBORN, today.minusDays(30), null, today.plusDays(60));
        String cid = send(E2e.maternityA01(id("MAT"), mother, "MVUNB1"));
        Bundle b = awaitOneBundle(councils, mother);
        assertThat(b.getEntry()).anySatisfy(e -> assertThat(e.getResource())
                .isInstanceOfSatisfying(org.hl7.fhir.r4.model.Flag.class,
                        f -> assertThat(f.getCode().getCodingFirstRep().getCode()).isEqualTo(FhirIds.CODE_UNBORN)));
        assertThat(notifications(cid)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void planEndedWithin365DaysIsStillNotifiedButNotOneEndedBefore() throws Exception {
        LocalDate today = LocalDate.now();
        String recent = "9990000026";
        String old = "9990000034";
        flag("TSTC1", recent, FhirIds.CODE_CPP, today.minusDays(700), today.minusDays(300), null);
        flag("TSTC1", old, FhirIds.CODE_CPP, today.minusDays(800), today.minusDays(400), null);
        String inside = send(E2e.adt("A04", id("P300"), recent, "VP300", "NSTS01"));
        String outside = send(E2e.adt("A04", id("P400"), old, "VP400", "NSTS01"));
        awaitOneBundle(councils, recent);
        assertThat(notifications(inside)).isEqualTo(1);
        assertThat(notifications(outside)).isZero();
        assertThat(outcome(outside)).isEqualTo("no flag");
        assertThat(councils.bundlesFor(old)).isEmpty();
    }

    @Test
    void a08UpdateOfTheSameVisitIsNotNotifiedAgain() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC5", nhs);
        String first = send(E2e.adt("A04", id("A04"), nhs, "VA081", "NSTS01"));
        Bundle b = awaitOneBundle(councils, nhs);
        String update = send(E2e.adt("A08", id("A08"), nhs, "VA081", "NSTS01"));
        assertThat(notifications(first)).isEqualTo(1);
        assertThat(notifications(update)).isZero();
        // The A08 was fully processed before this point; the receiver still holds the one Bundle.
        assertThat(councils.bundlesFor(nhs)).hasSize(1).allSatisfy(x -> assertThat(x.getIdentifier().getValue())
                .isEqualTo(b.getIdentifier().getValue()));
        assertThat(engine.queryLong("SELECT COUNT(*) FROM delivery d JOIN notification n ON n.notification_id = d.notification_id"
                + " WHERE n.attendance_control_id IN (?, ?)", first, update)).isEqualTo(1);
    }

    @Test
    void a11CancelAfterANotificationSendsACancellation() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC5", nhs);
        send(E2e.adt("A04", id("C04"), nhs, "VA111", "NSTS01"));
        Bundle notified = awaitOneBundle(councils, nhs);
        String cancel = send(E2e.adt("A11", id("C11"), nhs, "VA111", "NSTS01"));
        await().atMost(WITHIN).until(() -> councils.bundlesFor(nhs).size() == 2);
        Bundle cancellation = councils.bundlesFor(nhs).stream()
                .filter(b -> E2e.eventOf(b).equals(NotificationEvent.ATTENDANCE_CANCELLATION.code())).findFirst().orElseThrow();
        assertThat(cancellation.getIdentifier().getValue()).isNotEqualTo(notified.getIdentifier().getValue());
        assertThat(E2e.validationErrors(cancellation)).isEmpty();
        assertThat(notifications(cancel)).isEqualTo(1);
    }

    @Test
    void councilMissingFromTheDirectoryGoesToTheFallbackWithAnOperatorAlert() throws Exception {
        String nhs = "9990000042";
        flagCpp("TSTC9", nhs);
        String cid = send(E2e.adt("A04", id("T9"), nhs, "VTSTC9", "NSTS01"));
        Bundle b = awaitOneBundle(fallback, nhs);
        String nid = notificationIdOf(cid);
        assertThat(b.getIdentifier().getValue()).isEqualTo(nid);
        assertThat(councils.bundlesFor(nhs)).isEmpty();
        assertThat(engine.queryColumn("SELECT fallback_used FROM notification WHERE notification_id = ?", nid)).containsExactly(true);
        assertThat(engine.queryColumn("SELECT kind FROM operator_alert WHERE reference = ?", nid)).containsExactly("unknown-council");
    }

    @Test
    void councilWithBothChannelsGetsTheFhirMessageAndAnSmimeEmail() throws Exception {
        String nhs = "9990000018";
        flag("TSTC2", nhs, FhirIds.CODE_LAC, LocalDate.now().minusDays(400), null, null);
        int tlsBefore = smtpFront.tlsSessions();
        String cid = send(E2e.adt("A04", id("BOTH"), nhs, "VBOTH1", "NSTS01"));
        Bundle b = awaitOneBundle(councils, nhs);
        String nid = notificationIdOf(cid);
        await().atMost(WITHIN).until(() -> "delivered".equals(deliveryStatus(nid, "email")));
        assertThat(deliveryStatus(nid, "fhir")).isEqualTo("delivered");
        assertThat(smtpFront.tlsSessions()).isGreaterThan(tlsBefore);

        MimeMessage mail = null;
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (m.getSubject().contains(nid)) {
                mail = m;
            }
        }
        assertThat(mail).as("email for notification %s", nid).isNotNull();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("childrens.services@exampleton.example");
        assertThat(mail.getSubject()).isEqualTo("[secure] Child attendance notification " + nid)
                .doesNotContain(nhs).doesNotContain("TESTCHILD").doesNotContain("AMELIA");
        assertThat(mail.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(mail.getRawInputStream().readAllBytes())).doesNotContain(nhs).doesNotContain("TESTCHILD");

        SMIMEEnveloped env = new SMIMEEnveloped(mail);
        RecipientInformation r = env.getRecipientInfos().getRecipients().iterator().next();
        MimeBodyPart inner = SMIMEUtil.toMimeBodyPart(r.getContent(new JceKeyTransEnvelopedRecipient(tstc2Key.keyPair().getPrivate())));
        Multipart mp = (Multipart) inner.getContent();
        assertThat((String) mp.getBodyPart(0).getContent()).contains("Notification id: " + nid).contains("NHS number: " + nhs);
        Bundle attached = org.cpis.engine.notify.NotificationValidator.shared().fhirContext().newJsonParser()
                .parseResource(Bundle.class, mp.getBodyPart(1).getInputStream());
        assertThat(attached.getIdentifier().getValue()).isEqualTo(b.getIdentifier().getValue());
        assertThat(E2e.validationErrors(attached)).isEmpty();
    }

    @Test
    void emailOnlyCouncilGetsAPlainEmailOverStartTls() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC8", nhs);
        int tlsBefore = smtpFront.tlsSessions();
        String cid = send(E2e.adt("A04", id("MAIL"), nhs, "VMAIL1", "NSTS01"));
        String nid = notificationIdOf(cid);
        await().atMost(WITHIN).until(() -> "delivered".equals(deliveryStatus(nid, "email")));
        assertThat(deliveryStatus(nid, "fhir")).isNull();
        assertThat(smtpFront.tlsSessions()).isGreaterThan(tlsBefore);
        MimeMessage mail = null;
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (m.getSubject().contains(nid)) {
                mail = m;
            }
        }
        assertThat(mail).as("email for notification %s", nid).isNotNull();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("cs@eighthshire.example");
        assertThat(mail.getSubject()).isEqualTo("[SECURE] Child attendance notification " + nid)
                .doesNotContain(nhs).doesNotContain("TESTCHILD").doesNotContain("AMELIA").doesNotContain("2015");
        Multipart mp = (Multipart) mail.getContent();
        assertThat((String) mp.getBodyPart(0).getContent()).contains("Notification id: " + nid).contains("NHS number: " + nhs)
                .contains("Child Protection Plan").contains("Site ODS code: RX1CC");
        Bundle attached = org.cpis.engine.notify.NotificationValidator.shared().fhirContext().newJsonParser()
                .parseResource(Bundle.class, mp.getBodyPart(1).getInputStream());
        assertThat(attached.getIdentifier().getValue()).isEqualTo(nid);
        assertThat(E2e.validationErrors(attached)).isEmpty();
    }

    @Test
    void a08ThatFirstBringsAVerifiedNhsNumberIsNotified() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC5", nhs);
        String untraced = send(E2e.adt("A04", id("TR04"), nhs, "VTRACE1", "NSTS02"));
        String traced = send(E2e.adt("A08", id("TR08"), nhs, "VTRACE1", "NSTS01"));
        assertThat(notifications(untraced)).isZero();
        assertThat(notifications(traced)).isEqualTo(1);
        awaitOneBundle(councils, nhs);
    }

    // ---- delivery faults -----------------------------------------------------------------------

    @Test
    void receiverDownForAWhileGetsTheNotificationExactlyOnceWhenBack() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC6", nhs);
        flaky.stop();
        try {
            String cid = send(E2e.adt("A04", id("DOWN"), nhs, "VDOWN1", "NSTS01"));
            String nid = notificationIdOf(cid);
            // At least two refused attempts while the receiver is down.
            await().atMost(WITHIN).until(() -> engine.queryLong(
                    "SELECT attempts FROM delivery WHERE notification_id = ? AND channel = 'fhir'", nid) >= 2);
            assertThat(deliveryStatus(nid, "fhir")).isEqualTo("failed");
            assertThat(flaky.received()).isEmpty();
        } finally {
            flaky.start();
        }
        Bundle b = awaitOneBundle(flaky, nhs);
        String nid = b.getIdentifier().getValue();
        await().atMost(WITHIN).until(() -> "delivered".equals(deliveryStatus(nid, "fhir")));
        // Delivered: no attempt is left, so the count stays at one.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> flaky.deliveries(nid) == 1);
    }

    @Test
    void fatal401AnswerDeadLettersTheDeliveryWithAnAlert() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC7", nhs);
        String cid = send(E2e.adt("A04", id("401"), nhs, "V401", "NSTS01"));
        String nid = notificationIdOf(cid);
        await().atMost(WITHIN).until(() -> "dead-letter".equals(deliveryStatus(nid, "fhir")));
        assertThat(engine.queryColumn("SELECT last_error FROM delivery WHERE notification_id = ?", nid).get(0).toString())
                .contains("401");
        assertThat(engine.queryLong("SELECT attempts FROM delivery WHERE notification_id = ?", nid)).isEqualTo(1);
        await().atMost(WITHIN).until(() -> engine.queryColumn("SELECT kind FROM operator_alert WHERE reference = ?", nid)
                .contains("delivery-dead-letter"));
        assertThat(locked.received()).isEmpty();
    }

    /** Test order is not fixed: this checks what every receiver kept so far, plus every notification stored. */
    @Test
    void everyBundleAnyReceiverKeptValidates() throws Exception {
        String nhs = E2e.newNhsNumber();
        flagCpp("TSTC1", nhs);
        send(E2e.adt("A04", id("VAL"), nhs, "VVAL1", "NSTS01"));
        awaitOneBundle(councils, nhs);
        List<ReceivedMessages.Received> all = allReceivers().stream().flatMap(r -> r.received().stream()).toList();
        assertThat(all).isNotEmpty();
        for (ReceivedMessages.Received r : all) {
            assertThat(E2e.validationErrors(r.bundle())).as("Bundle %s", r.notificationId()).isEmpty();
        }
        // Every notification the engine stored validates too (the receivers only keep valid ones).
        for (Object json : engine.queryColumn("SELECT bundle_json FROM notification")) {
            Bundle b = org.cpis.engine.notify.NotificationValidator.shared().fhirContext().newJsonParser()
                    .parseResource(Bundle.class, json.toString());
            assertThat(E2e.validationErrors(b)).as("stored %s", b.getIdentifier().getValue()).isEmpty();
        }
    }

    private static List<CouncilEndpoint> allReceivers() {
        return ALL;
    }
}
