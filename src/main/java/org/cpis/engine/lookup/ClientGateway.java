package org.cpis.engine.lookup;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The gateway on the HAPI client itself, for work that runs outside any route: the flagged-number
 * index syncs in the background and makes its first load before the Camel routes (and so MLLP
 * intake) start, when camel-fhir cannot be called yet. The same client bean serves camel-fhir, so
 * base URL, authentication, TLS and timeouts are the same for both.
 */
public final class ClientGateway implements FlagStoreGateway {
    private final IGenericClient client;

    public ClientGateway(IGenericClient client) {
        this.client = client;
    }

    @Override
    public Bundle search(String relativeUrl) {
        try {
            return client.search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "search");
        }
    }

    @Override
    public Bundle nextPage(Bundle bundle) {
        try {
            return client.loadPage().next(bundle).execute();
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "paging");
        }
    }

    @Override
    public MethodOutcome createIfNoneExist(IBaseResource resource, String ifNoneExist) {
        try {
            return client.create().resource(resource).conditionalByUrl(ifNoneExist).execute();
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "create");
        }
    }
}
