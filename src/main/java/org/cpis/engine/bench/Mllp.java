package org.cpis.engine.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** MLLP framing: {@code <VT> message <FS><CR>}. */
final class Mllp {
    static final int VT = 0x0b;
    static final int FS = 0x1c;
    static final int CR = 0x0d;

    private Mllp() {
    }

    static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 3];
        out[0] = VT;
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 2] = FS;
        out[out.length - 1] = CR;
        return out;
    }

    /** Reads one frame's content; returns {@code null} at end of stream before any frame started. */
    static String readFrame(InputStream in, ByteArrayOutputStream buf) throws IOException {
        buf.reset();
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return null;
            }
        } while (b != VT);
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside an MLLP frame");
            }
            if (b == FS) {
                int next = in.read();
                if (next == CR) {
                    return buf.toString(StandardCharsets.UTF_8);
                }
                buf.write(b);
                if (next < 0) {
                    throw new IOException("connection closed inside an MLLP frame");
                }
                buf.write(next);
            } else {
                buf.write(b);
            }
        }
    }
}
