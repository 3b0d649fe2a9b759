package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;
import org.cpis.engine.delivery.FhirMessageSender;
import org.cpis.engine.notify.NotificationValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST [base]/$process-message}: validates the message, keeps it, and answers a response
 * message whose MessageHeader.response names the request and says {@code ok}. An invalid message is
 * answered 422 with the validator's OperationOutcome and is not kept.
 */
public final class ProcessMessageProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessMessageProvider.class);

    private final Supplier<NotificationValidator> validators;
    private final ReceivedMessages store;
    private final String receiverEndpoint;

    /** @param validators gives the validator on the first message (building one loads the FHIR core definitions) */
    public ProcessMessageProvider(Supplier<NotificationValidator> validators, ReceivedMessages store, String receiverEndpoint) {
        this.validators = validators;
        this.store = store;
        this.receiverEndpoint = receiverEndpoint;
    }

    @Operation(name = "$process-message", idempotent = false)
    public Bundle processMessage(@ResourceParam IBaseResource body) {
        // Taken as any resource so that a wrong type gets a 400 with a clear OperationOutcome, not a 500.
        if (!(body instanceof Bundle message) || message.getType() != Bundle.BundleType.MESSAGE || !message.hasEntry()
                || !(message.getEntryFirstRep().getResource() instanceof MessageHeader request)) {
            throw new InvalidRequestException("$process-message needs a Bundle of type message whose first entry is a MessageHeader");
        }
        NotificationValidator validator = validators.get();
        ValidationResult result = validator.validate(message);
        if (!NotificationValidator.errors(result).isEmpty()) {
            OperationOutcome oo = NotificationValidator.toOperationOutcome(result);
            LOG.info("Rejected a message: {} validation error(s)", NotificationValidator.errors(result).size());
            throw new UnprocessableEntityException(validator.fhirContext(), oo);
        }
        ReceivedMessages.Received r = store.add(message);
        // The notification id is not patient data: it is how council IT finds the message.
        LOG.info("Received notification {} (message #{}{})", r.notificationId(), r.sequence(),
                r.duplicate() ? ", duplicate delivery " + r.deliveryCount() : "");
        return response(request);
    }

    private Bundle response(MessageHeader request) {
        MessageHeader h = new MessageHeader();
        h.setId(UUID.randomUUID().toString());
        h.setEvent(request.getEventCoding().copy());
        h.getSource().setName("cpis-engine reference council receiver").setSoftware("cpis-engine").setEndpoint(receiverEndpoint);
        if (request.hasSource() && request.getSource().hasEndpoint()) {
            h.addDestination().setEndpoint(request.getSource().getEndpoint());
        }
        String requestId = FhirMessageSender.messageHeaderId(request);
        h.getResponse().setIdentifier(requestId != null ? requestId : "unknown").setCode(MessageHeader.ResponseType.OK);
        Bundle b = new Bundle();
        b.setId(UUID.randomUUID().toString());
        b.setType(Bundle.BundleType.MESSAGE);
        b.setTimestamp(new Date());
        b.addEntry().setFullUrl("urn:uuid:" + h.getIdElement().getIdPart()).setResource(h);
        return b;
    }
}
