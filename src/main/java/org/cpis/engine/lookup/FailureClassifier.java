package org.cpis.engine.lookup;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.cpis.engine.lookup.FlagLookupException.Reason;

/**
 * Turns whatever the HTTP/FHIR client threw into a {@link FlagLookupException}. The original
 * exception is deliberately not kept as the cause: HAPI puts the request URL (with the NHS number)
 * into its messages, and a cause is printed wherever the exception is logged.
 */
final class FailureClassifier {

    private FailureClassifier() {
    }

    static FlagLookupException classify(Throwable thrown, String operation) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof FlagLookupException fle) {
                return fle;
            }
            if (t instanceof FhirClientConnectionException) {
                // HAPI reports "no answer at all" as a BaseServerResponseException with status 500:
                // tell it apart from a real 5xx answer.
                if (hasType(t, SocketTimeoutException.class)) {
                    return new FlagLookupException(Reason.TIMEOUT, 0, operation + " timed out");
                }
                SSLException tls = find(t, SSLException.class);
                if (tls != null) {
                    // TLS messages name certificates and hosts, never the request: safe and useful to operators.
                    return new FlagLookupException(Reason.UNREACHABLE, 0, operation + " TLS failed: " + tls.getMessage());
                }
                return new FlagLookupException(Reason.UNREACHABLE, 0, operation + " could not reach the store"
                        + (t.getCause() == null ? "" : " (" + t.getCause().getClass().getSimpleName() + ")"));
            }
            if (t instanceof BaseServerResponseException r) {
                int status = r.getStatusCode();
                Reason reason;
                if (status == 401 || status == 403) {
                    reason = Reason.AUTH_REJECTED;
                } else if (status >= 500 || status == 429 || status == 408) {
                    reason = Reason.SERVER_ERROR;
                } else if (status >= 400) {
                    reason = Reason.QUERY_REJECTED;
                } else {
                    reason = Reason.BAD_RESPONSE;
                }
                return new FlagLookupException(reason, status, operation + " failed");
            }
            if (t instanceof SocketTimeoutException) {
                return new FlagLookupException(Reason.TIMEOUT, 0, operation + " timed out");
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return new FlagLookupException(Reason.UNREACHABLE, 0,
                        operation + " could not connect (" + t.getClass().getSimpleName() + ")");
            }
            if (t instanceof SSLException) {
                return new FlagLookupException(Reason.UNREACHABLE, 0, operation + " TLS failed");
            }
            if (t instanceof DataFormatException || t instanceof ClassCastException) {
                return new FlagLookupException(Reason.BAD_RESPONSE, 0, operation + " returned an unreadable answer");
            }
        }
        if (hasType(thrown, java.io.IOException.class)) {
            return new FlagLookupException(Reason.UNREACHABLE, 0, operation + " failed on the connection");
        }
        return new FlagLookupException(Reason.BAD_RESPONSE, 0,
                operation + " failed (" + thrown.getClass().getSimpleName() + ")");
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean hasType(Throwable thrown, Class<?> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
