package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;

/** {@code POST [base]} with a transaction or batch Bundle. */
public final class TransactionProvider {
    private final BundleProcessor processor;

    TransactionProvider(BundleProcessor processor) {
        this.processor = processor;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails rd) {
        return processor.process(bundle, Requests.caller(rd), Requests.remote(rd));
    }
}
