package org.cpis.engine.delivery;

import java.time.Duration;

/**
 * Proof that a council took a FHIR message.
 *
 * @param httpStatus the 2xx status of the answer
 * @param responseMessageId the id of the council's response MessageHeader, or null
 * @param elapsed time from sending to the full answer
 */
public record FhirDeliveryReceipt(int httpStatus, String responseMessageId, Duration elapsed) {
}
