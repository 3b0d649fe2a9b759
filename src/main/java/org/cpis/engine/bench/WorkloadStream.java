package org.cpis.engine.bench;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/** Message source for one sender thread (not thread-safe: one per connection). */
public final class WorkloadStream {

    /** Visit numbers look like {@code BV} + tag + sequence, so a receiver can find them in any payload. */
    public static final String VISIT_PREFIX = "BV";

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Workload workload;
    private final String tag;
    private final SplittableRandom rnd;
    private long seq;
    private long tsSecond = -1;
    private String ts;

    WorkloadStream(Workload workload, String tag, long seed) {
        if (!tag.matches("[0-9A-Z]{1,8}")) {
            throw new IllegalArgumentException("stream tag must be 1-8 digits or capitals: " + tag);
        }
        this.workload = workload;
        this.tag = tag;
        this.rnd = new SplittableRandom(seed);
    }

    public GeneratedMessage next() {
        seq++;
        int p = rnd.nextInt(workload.patientCount());
        AdtEvent e = AdtEvent.forDraw(rnd.nextInt(100));
        Dialect d = Dialect.forDraw(rnd.nextInt(100));
        String controlId = "BM" + tag + "X" + seq;
        String visit = VISIT_PREFIX + tag + "X" + seq;
        String nhs = workload.patient(p);
        String text = AdtMessageBuilder.build(d, e, nhs, p, controlId, visit, timestamp());
        return new GeneratedMessage(controlId, visit, nhs, workload.isFlagged(p), e, d, Mllp.frame(text));
    }

    /** The HL7 timestamp, formatted once per second rather than per message. */
    private String timestamp() {
        long now = System.currentTimeMillis() / 1000;
        if (now != tsSecond) {
            tsSecond = now;
            ts = LocalDateTime.now().format(TS);
        }
        return ts;
    }
}
