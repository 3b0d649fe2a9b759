package org.cpis.engine.lookup;

/**
 * The flag store could not answer. Always retryable: an attendance is never dropped because of a
 * lookup failure, the route retries with back-off. {@link #reason()} lets operators tell a store
 * that is down from a configuration fault (rejected credentials or query) that retrying will not
 * cure until someone fixes it. The message never carries patient data (the search URL holds the
 * NHS number, so it and the HTTP client's own message are left out on purpose).
 */
public class FlagLookupException extends RuntimeException {

    public enum Reason {
        /** Connection refused, DNS failure, TLS handshake failure. */
        UNREACHABLE,
        /** Connect or read timeout. */
        TIMEOUT,
        /** HTTP 5xx or 429. */
        SERVER_ERROR,
        /** HTTP 401/403: credentials wrong or missing. Needs an operator. */
        AUTH_REJECTED,
        /** HTTP 400/404/405/...: the query template does not suit this server. Needs an operator. */
        QUERY_REJECTED,
        /** The answer was not a FHIR Bundle we can read. */
        BAD_RESPONSE
    }

    private final Reason reason;
    private final int httpStatus;

    public FlagLookupException(Reason reason, int httpStatus, String message) {
        super("flag store " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + message);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** HTTP status, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Always true; kept as a method so error handlers can test for it without knowing the class. */
    public boolean isRetryable() {
        return true;
    }

    /** True when retrying will not help until an operator fixes configuration (alert on it). */
    public boolean needsOperator() {
        return reason == Reason.AUTH_REJECTED || reason == Reason.QUERY_REJECTED;
    }
}
