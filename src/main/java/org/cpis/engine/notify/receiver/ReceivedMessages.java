package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;

/**
 * What the reference council receiver has been sent, in arrival order: in memory, and optionally one
 * JSON file per message in a folder. Every delivery is kept, duplicates too; a redelivery of a
 * Bundle.identifier seen before is tagged {@link #DUPLICATE_TAG} and numbered, so the duplicate is
 * visible rather than hidden.
 */
public final class ReceivedMessages {

    public static final String TAG_SYSTEM = "https://cpis-engine.org/fhir/CodeSystem/cpis-council-receiver";
    /** meta.tag on a stored Bundle whose identifier was received before. */
    public static final Coding DUPLICATE_TAG = new Coding(TAG_SYSTEM, "duplicate",
            "Same Bundle.identifier as an earlier delivery");

    /**
     * One kept message.
     *
     * @param sequence 1, 2, 3... in arrival order; also the stored Bundle's id ({@code received-N})
     * @param receivedAt arrival time
     * @param notificationId the Bundle.identifier value
     * @param deliveryCount 1 for the first delivery of that identifier, 2 for the first duplicate, ...
     * @param bundle the stored copy (with its id, and the duplicate tag when deliveryCount &gt; 1)
     */
    public record Received(long sequence, Instant receivedAt, String notificationId, int deliveryCount, Bundle bundle) {
        public boolean duplicate() {
            return deliveryCount > 1;
        }
    }

    private final FhirContext ctx;
    private final Path folder;
    private final List<Received> messages = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();

    /** @param folder where to write each message as JSON, or null for memory only */
    public ReceivedMessages(FhirContext ctx, Path folder) {
        this.ctx = ctx;
        this.folder = folder;
        if (folder != null) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the receiver store folder " + folder, e);
            }
        }
    }

    /** Keeps a copy of the message and says whether it repeats an earlier identifier. */
    public synchronized Received add(Bundle message) {
        Bundle copy = message.copy();
        String nid = copy.getIdentifier().getValue();
        long seq = messages.size() + 1L;
        int count = counts.merge(nid == null ? "" : nid, 1, Integer::sum);
        copy.setId("received-" + seq);
        if (count > 1) {
            copy.getMeta().addTag(DUPLICATE_TAG.copy());
        }
        Received r = new Received(seq, Instant.now(), nid, count, copy);
        messages.add(r);
        if (folder != null) {
            String name = String.format("%06d-%s.json", seq, nid == null ? "no-identifier" : nid.replaceAll("[^A-Za-z0-9.-]", "_"));
            try {
                Files.writeString(folder.resolve(name), ctx.newJsonParser().setPrettyPrint(true).encodeResourceToString(copy),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + name + " in " + folder, e);
            }
        }
        return r;
    }

    public synchronized List<Received> all() {
        return List.copyOf(messages);
    }

    public synchronized Optional<Received> bySequence(long seq) {
        return seq >= 1 && seq <= messages.size() ? Optional.of(messages.get((int) seq - 1)) : Optional.empty();
    }

    /** How many times a notification id has been delivered. */
    public synchronized int deliveries(String notificationId) {
        return counts.getOrDefault(notificationId, 0);
    }

    public synchronized int size() {
        return messages.size();
    }
}
