package org.cpis.engine.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A blocking MLLP sender: one message out, wait for its ACK, as ED systems do. */
final class MllpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);

    MllpClient(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 4096);
        out = socket.getOutputStream();
    }

    /** Sends one framed message and returns the ACK's text. */
    String send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
        String ack = Mllp.readFrame(in, buf);
        if (ack == null) {
            throw new IOException("connection closed before the ACK");
        }
        return ack;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a benchmark socket: nothing to do
        }
    }
}
