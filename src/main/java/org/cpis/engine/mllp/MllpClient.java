package org.cpis.engine.mllp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A blocking MLLP client: sends one framed message and waits for its ACK. Used by {@code send},
 * the benchmark and the tests.
 */
public final class MllpClient implements AutoCloseable {
    public static final byte VT = 0x0b;
    public static final byte FS = 0x1c;
    public static final byte CR = 0x0d;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /**
     * TLS settings; null paths mean the JVM defaults.
     *
     * @param truststore trusted CAs
     * @param truststorePassword its password
     * @param keystore this client's certificate for mutual TLS, or null
     * @param keystorePassword its password
     */
    public record TlsOptions(Path truststore, String truststorePassword, Path keystore, String keystorePassword) {
    }

    private MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    public static MllpClient connect(String host, int port, TlsOptions tls, int timeoutMillis) throws IOException {
        Socket s;
        if (tls != null) {
            try {
                s = sslContext(tls).getSocketFactory().createSocket();
            } catch (Exception e) {
                throw new IOException("TLS setup failed: " + e.getMessage(), e);
            }
        } else {
            s = new Socket();
        }
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect: " + e.getMessage(), e);
        }
        return new MllpClient(s);
    }

    /** Sends one message (segments separated by CR) and returns its ACK. */
    public Ack send(byte[] message) throws IOException {
        write(message);
        return Ack.parse(readFrameAsString());
    }

    /** Writes one framed message without waiting. */
    public void write(byte[] message) throws IOException {
        byte[] frame = new byte[message.length + 3];
        frame[0] = VT;
        System.arraycopy(message, 0, frame, 1, message.length);
        frame[frame.length - 2] = FS;
        frame[frame.length - 1] = CR;
        out.write(frame);
        out.flush();
    }

    /** Writes raw bytes as they are (tests use this for malformed framing). */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next frame (an ACK); its content as 8859/1 text. */
    public String readFrameAsString() throws IOException {
        return new String(readFrame(), StandardCharsets.ISO_8859_1);
    }

    public byte[] readFrame() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        try {
            do {
                b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before an ACK arrived");
                }
            } while (b != VT);
            while ((b = in.read()) >= 0) {
                if (b == FS) {
                    int cr = in.read();
                    if (cr != CR && cr >= 0) {
                        buf.write(cr);
                    }
                    return buf.toByteArray();
                }
                buf.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no ACK within " + socket.getSoTimeout() + " ms", e);
        }
        throw new IOException("connection closed in the middle of an ACK");
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static SSLContext sslContext(TlsOptions tls) throws Exception {
        TrustManagerFactory tmf = null;
        if (tls.truststore() != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(tls.truststore())) {
                ts.load(in, chars(tls.truststorePassword()));
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
        }
        KeyManagerFactory kmf = null;
        if (tls.keystore() != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(tls.keystore())) {
                ks.load(in, chars(tls.keystorePassword()));
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, chars(tls.keystorePassword()));
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf != null ? kmf.getKeyManagers() : null, tmf != null ? tmf.getTrustManagers() : null, null);
        return ctx;
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
