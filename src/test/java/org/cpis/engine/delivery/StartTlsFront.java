package org.cpis.engine.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A STARTTLS front for GreenMail, whose SMTP server (2.1.8) has no STARTTLS of its own. It greets,
 * offers only STARTTLS, refuses every other command before TLS ({@code 530}), upgrades the socket with
 * a real TLS handshake, then relays the decrypted session to GreenMail's SMTP port. So the test sees
 * real SMTP (GreenMail) behind real STARTTLS.
 */
public final class StartTlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final int backendPort;
    private final AtomicInteger tlsSessions = new AtomicInteger();
    private final AtomicInteger refusedBeforeTls = new AtomicInteger();

    public StartTlsFront(SSLContext tls, int backendPort) throws IOException {
        this.tls = tls;
        this.backendPort = backendPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "starttls-front");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int tlsSessions() {
        return tlsSessions.get();
    }

    int refusedBeforeTls() {
        return refusedBeforeTls.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handle(s), "starttls-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket plain) {
        try (plain) {
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            write(out, "220 localhost ESMTP starttls-front");
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase(java.util.Locale.ROOT);
                if (cmd.startsWith("EHLO")) {
                    write(out, "250-localhost\r\n250 STARTTLS");
                } else if (cmd.startsWith("STARTTLS")) {
                    write(out, "220 Ready to start TLS");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    tlsSessions.incrementAndGet();
                    relay(ssl);
                    return;
                } else if (cmd.startsWith("QUIT")) {
                    write(out, "221 bye");
                    return;
                } else {
                    refusedBeforeTls.incrementAndGet();
                    write(out, "530 Must issue a STARTTLS command first");
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private void relay(SSLSocket client) throws IOException {
        try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            InputStream bin = backend.getInputStream();
            // Swallow GreenMail's own greeting: the client already had one.
            int c;
            while ((c = bin.read()) != -1 && c != '\n') {
                // skip
            }
            Thread up = new Thread(() -> pump(client, backend), "starttls-front-up");
            up.setDaemon(true);
            up.start();
            pump(backend, client);
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // already closed
            }
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
