package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/** {@code GET [base]/Bundle[?identifier=x]} and {@code GET [base]/Bundle/received-N}: the kept messages. */
public final class ReceivedBundleProvider implements IResourceProvider {
    private final ReceivedMessages store;

    public ReceivedBundleProvider(ReceivedMessages store) {
        this.store = store;
    }

    @Override
    public Class<Bundle> getResourceType() {
        return Bundle.class;
    }

    @Search
    public List<Bundle> list(@OptionalParam(name = Bundle.SP_IDENTIFIER) TokenParam identifier) {
        return store.all().stream()
                .filter(r -> identifier == null || identifier.getValue().equals(r.notificationId()))
                .map(ReceivedMessages.Received::bundle)
                .toList();
    }

    @Read
    public Bundle read(@IdParam IdType id) {
        String part = id.getIdPart();
        if (part != null && part.startsWith("received-")) {
            try {
                return store.bySequence(Long.parseLong(part.substring("received-".length())))
                        .map(ReceivedMessages.Received::bundle)
                        .orElseThrow(() -> new ResourceNotFoundException(id));
            } catch (NumberFormatException e) {
                // falls through to not found
            }
        }
        throw new ResourceNotFoundException(id);
    }
}
