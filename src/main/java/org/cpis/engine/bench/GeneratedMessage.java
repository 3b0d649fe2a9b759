package org.cpis.engine.bench;

/**
 * One message ready to send: the MLLP frame plus what the bench needs to check its ACK and match
 * its notification. {@code flagged} says whether the patient carries a flag in the preloaded set.
 */
public record GeneratedMessage(String controlId, String visitNumber, String nhsNumber, boolean flagged,
                               AdtEvent event, Dialect dialect, byte[] frame) {
}
