package org.cpis.engine.intake;

import java.nio.charset.Charset;

/**
 * An MLLP frame intake has read: its header (null when unreadable), its text and charset, or
 * the reason it is rejected. Lives only for the length of one exchange at intake.
 */
public record ReceivedAdt(MllpFrame frame, Hl7Header header, String text, Charset charset, RejectException rejection) {

    public boolean rejected() {
        return rejection != null;
    }
}
