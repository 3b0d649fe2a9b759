package org.cpis.engine.intake;

/**
 * One MLLP frame as it arrived: the bytes between {@code <VT>} and {@code <FS>}.
 *
 * @param bytes the frame content; for an oversize frame only its first bytes
 * @param length the frame's full length in bytes
 * @param oversize true when the frame was larger than the configured maximum
 */
public record MllpFrame(byte[] bytes, int length, boolean oversize) {
}
