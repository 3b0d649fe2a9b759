package org.cpis.engine.decision;

/** The decision table could not be read or written. Retryable: the route retries the attendance. */
public class DecisionStoreException extends RuntimeException {
    public DecisionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
