package org.cpis.engine.delivery;

import java.nio.file.Path;

/**
 * A council's secure email channel.
 *
 * @param address the council's mailbox
 * @param subjectTag prefix of the subject, e.g. {@code [secure]}
 * @param smimeCertificate PEM or DER X.509 certificate to encrypt to (S/MIME), or null for none
 */
public record EmailRecipient(String address, String subjectTag, Path smimeCertificate) {
    public static final String DEFAULT_SUBJECT_TAG = "[secure]";
}
