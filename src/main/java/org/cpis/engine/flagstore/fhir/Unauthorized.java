package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.cpis.engine.flagstore.store.Outcomes;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * 401 with an OperationOutcome body. HAPI answers its own AuthenticationException as plain text, and
 * the issue asks for an OperationOutcome on every refusal.
 */
final class Unauthorized extends BaseServerResponseException {
    private static final long serialVersionUID = 1L;

    Unauthorized(String message) {
        super(401, message, Outcomes.of(OperationOutcome.IssueType.LOGIN, null, message));
        addResponseHeader("WWW-Authenticate", "Bearer realm=\"cpis-engine flag store\"");
    }
}
