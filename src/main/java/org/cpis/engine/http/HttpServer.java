package org.cpis.engine.http;

import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The engine's one HTTP server (embedded Jetty). Features mount their servlets on it before
 * {@link #start()}: the flag store at {@code /fhir/*}, the council receiver, health, metrics.
 */
public final class HttpServer implements AutoCloseable {
    /**
     * Responses smaller than this go out uncompressed: compressing a flag lookup's 1 KB costs both ends
     * more than it saves, while a page of search results or a bulk-upload answer still shrinks.
     */
    public static final int MIN_GZIP_SIZE = 8 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    public HttpServer(String host, int port, int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        pool.setName("cpis-http");
        server = new Server(pool);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        context = new ServletContextHandler();
        context.setContextPath("/");
        // Compression for every servlet here, for clients that accept gzip, decided by size.
        GzipHandler gzip = new GzipHandler(context);
        gzip.setMinGzipSize(MIN_GZIP_SIZE);
        server.setHandler(gzip);
        server.setStopAtShutdown(false);
    }

    /** Mounts a servlet; {@code pathSpec} is a servlet mapping such as {@code /fhir/*}. */
    public HttpServer mount(String pathSpec, Servlet servlet) {
        context.addServlet(new ServletHolder(servlet), pathSpec);
        return this;
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
