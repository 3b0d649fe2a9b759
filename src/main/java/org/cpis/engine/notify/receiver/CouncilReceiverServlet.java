package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.function.Supplier;
import org.cpis.engine.notify.NotificationValidator;

/**
 * The reference council receiver (a HAPI plain server): {@code $process-message} and
 * {@code GET Bundle}. The engine mounts it at {@code /council-receiver/fhir/*} in demo mode; the
 * {@code council-receiver} command runs it alone so council IT can test against it.
 */
public final class CouncilReceiverServlet extends RestfulServer {
    private static final long serialVersionUID = 1L;

    private final transient Supplier<NotificationValidator> validators;
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
        this(validator.fhirContext(), () -> validator, store, bearerToken, endpoint);
    }

    /**
     * With the validator built on the first message: it holds the FHIR core definitions (about
     * 250 MB of heap), which an engine that never receives a message here should not carry.
     *
     * @param validators gives the shared validator, e.g. {@code NotificationValidator::shared}
     */
    public CouncilReceiverServlet(FhirContext ctx, Supplier<NotificationValidator> validators, ReceivedMessages store,
            String bearerToken, String endpoint) {
        super(ctx);
        this.validators = validators;
        this.store = store;
        this.bearerToken = bearerToken;
        this.endpoint = endpoint;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        registerProvider(new ProcessMessageProvider(validators, store, endpoint));
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
