package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRestfulResponse;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * HAPI's response, with the body sent when HAPI closes the writer instead of piece by piece.
 *
 * <p>HAPI 8.6's JSON encoder writes every string value through {@code ObjectMapper.writeValue}, which
 * flushes the writer each time (Jackson's {@code FLUSH_AFTER_WRITE_VALUE}); on Jetty each flush is an
 * HTTP chunk and a socket write, about 25 for one lookup. Ignoring those flushes leaves Jetty's own
 * output buffer to size the writes: a small response goes out as one write with a Content-Length, a
 * large one still streams in buffer-sized chunks.
 *
 * <p>HAPI would also gzip every response for a client that accepts it (the HAPI client always does),
 * a lookup's 1 KB included, through a writer chain that flushes on close. Compression is left to the
 * HTTP server instead ({@link org.cpis.engine.http.HttpServer}: Jetty's GzipHandler, above a minimum size).
 */
public final class WholeBodyResponse extends ServletRestfulResponse {

    public WholeBodyResponse(ServletRequestDetails requestDetails) {
        super(requestDetails);
    }

    @Override
    public Writer getResponseWriter(int statusCode, String contentType, String charset, boolean respondGzip) throws IOException {
        return new FlushOnClose(super.getResponseWriter(statusCode, contentType, charset, false));
    }

    /** A writer whose flushes wait for close (which flushes and completes the response). */
    private static final class FlushOnClose extends FilterWriter {
        FlushOnClose(Writer out) {
            super(out);
        }

        @Override
        public void flush() {
            // deliberately nothing: close() flushes once
        }
    }
}
