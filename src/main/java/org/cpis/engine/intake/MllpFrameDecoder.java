package org.cpis.engine.intake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a TCP byte stream into MLLP frames ({@code <VT> message <FS><CR>}).
 *
 * <p>Why not camel-hl7's HL7MLLPNettyDecoder: it is a delimiter decoder with a fixed maximum that
 * discards an oversize frame with an exception (so the sender never gets the AR it is owed) and
 * passes stray bytes into the next message. This decoder:
 * <ul>
 *   <li>emits every frame of a pipelined burst, and frames split across reads, in order;</li>
 *   <li>drops bytes outside a frame (a trailing LF after {@code <FS><CR>} silently, anything
 *       else counted in {@link MllpStats} and logged without content) and carries on;</li>
 *   <li>keeps the head of an oversize frame and emits it marked oversize once the frame ends, so
 *       intake can answer AR and the connection stays usable;</li>
 *   <li>takes {@code <FS>} without the {@code <CR>} when the sender stops there.</li>
 * </ul>
 */
public final class MllpFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MllpFrameDecoder.class);

    static final byte VT = 0x0b;
    static final byte FS = 0x1c;
    static final byte CR = 0x0d;
    static final byte LF = 0x0a;
    /** How much of an oversize frame is kept: enough for the MSH and the rejected-message record. */
    static final int OVERSIZE_HEAD = 64 * 1024;

    private final int maxFrameBytes;
    private final MllpStats stats;

    private boolean inFrame;
    /** Bytes of the current frame already scanned (the frame starts at the reader index). */
    private int scanned;
    /** Set while discarding the rest of an oversize frame. */
    private byte[] oversizeHead;
    private int oversizeLength;
    private boolean afterFrameEnd;

    public MllpFrameDecoder(int maxFrameBytes, MllpStats stats) {
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (!inFrame) {
                skipToFrameStart(ctx, in);
                if (!inFrame) {
                    return;
                }
            }
            if (oversizeHead != null) {
                if (!discardOversize(in, out)) {
                    return;
                }
                continue;
            }
            int start = in.readerIndex();
            int from = start + scanned;
            int end = in.writerIndex();
            int fs = in.indexOf(from, end, FS);
            int vt = in.indexOf(from, fs < 0 ? end : fs, VT);
            if (vt >= 0) {
                // A new start byte inside a frame: the sender gave up on the old one. Drop it.
                countOutside(ctx, vt - start + 1);
                in.readerIndex(vt + 1);
                scanned = 0;
                continue;
            }
            if (fs < 0) {
                scanned = end - start;
                if (scanned > maxFrameBytes) {
                    startOversize(in, scanned);
                }
                return;
            }
            int length = fs - start;
            if (length > maxFrameBytes) {
                startOversize(in, length);
                continue;
            }
            byte[] frame = new byte[length];
            in.readBytes(frame);
            in.skipBytes(1); // FS
            endFrame(in);
            out.add(new MllpFrame(frame, length, false));
        }
    }

    private void skipToFrameStart(ChannelHandlerContext ctx, ByteBuf in) {
        int junk = 0;
        while (in.isReadable()) {
            byte b = in.readByte();
            if (b == VT) {
                inFrame = true;
                scanned = 0;
                break;
            }
            // CR or LF straight after a frame end is a common sender habit, not noise.
            if (afterFrameEnd && (b == CR || b == LF)) {
                continue;
            }
            afterFrameEnd = false;
            junk++;
        }
        if (junk > 0) {
            countOutside(ctx, junk);
        }
    }

    private void startOversize(ByteBuf in, int seen) {
        int keep = Math.min(OVERSIZE_HEAD, seen);
        oversizeHead = new byte[keep];
        in.getBytes(in.readerIndex(), oversizeHead);
        oversizeLength = seen;
        in.skipBytes(seen);
        scanned = 0;
    }

    /** Discards up to the end of an oversize frame; true once the frame is complete. */
    private boolean discardOversize(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int fs = in.indexOf(start, in.writerIndex(), FS);
        if (fs < 0) {
            oversizeLength += in.readableBytes();
            in.skipBytes(in.readableBytes());
            return false;
        }
        oversizeLength += fs - start;
        in.readerIndex(fs + 1);
        endFrame(in);
        out.add(new MllpFrame(oversizeHead, oversizeLength, true));
        oversizeHead = null;
        return true;
    }

    private void endFrame(ByteBuf in) {
        if (in.isReadable() && in.getByte(in.readerIndex()) == CR) {
            in.skipBytes(1);
        }
        inFrame = false;
        scanned = 0;
        afterFrameEnd = true;
    }

    private void countOutside(ChannelHandlerContext ctx, int n) {
        stats.bytesOutsideFrame(n);
        // Never log the bytes themselves: they may be a piece of a patient's record.
        LOG.warn("Discarded {} byte(s) outside an MLLP frame from {}", n, ctx.channel().remoteAddress());
    }
}
