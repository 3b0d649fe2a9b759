package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.cpis.engine.notify.NotificationValidator;

/**
 * The reference council receiver (a HAPI plain server): {@code $process-message} and
 * {@code GET Bundle}. The engine mounts it at {@code /council-receiver/fhir/*} in demo mode; the
 * {@code council-receiver} command runs it alone so council IT can test against it.
 */
public final class CouncilReceiverServlet extends RestfulServer {
    private static final long serialVersionUID = 1L;

    private final transient NotificationValidator validator;
    private final transient ReceivedMessages store;
    private final String bearerToken;
    private final String endpoint;

    /**
     * @param validator shared validator (the same as the engine's)
     * @param store where received messages are kept
     * @param bearerToken token every request must carry, or null for none
     * @param endpoint this receiver's own base URL (for the response MessageHeader.source)
     */
    public CouncilReceiverServlet(NotificationValidator validator, ReceivedMessages store, String bearerToken, String endpoint) {
        super(validator.fhirContext());
        this.validator = validator;
        this.store = store;
        this.bearerToken = bearerToken;
        this.endpoint = endpoint;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        registerProvider(new ProcessMessageProvider(validator, store, endpoint));
        setResourceProviders(List.of(new ReceivedBundleProvider(store)));
        if (bearerToken != null && !bearerToken.isBlank()) {
            registerInterceptor(new BearerTokenInterceptor(bearerToken));
        }
    }

    public ReceivedMessages store() {
        return store;
    }

    public FhirContext fhirContext() {
        return getFhirContext();
    }
}
