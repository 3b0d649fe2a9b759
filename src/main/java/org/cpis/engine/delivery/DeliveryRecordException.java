package org.cpis.engine.delivery;

/** The delivery records could not be read or written (database down, ...). Retry later. */
public class DeliveryRecordException extends RuntimeException {
    public DeliveryRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
