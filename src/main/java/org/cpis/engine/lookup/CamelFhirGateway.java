package org.cpis.engine.lookup;

import ca.uhn.fhir.rest.api.MethodOutcome;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * {@link FlagStoreGateway} over the camel-fhir component. The endpoints are fixed
 * ({@code fhir:search/searchByUrl?client=#flagStoreClient}) and the per-call values travel in
 * {@code CamelFhir.*} headers, so one endpoint serves every lookup instead of one endpoint per NHS
 * number in Camel's endpoint registry. The client bean is built by {@link FlagStoreClientFactory}
 * because camel-fhir has no TLS option of its own; auth and timeouts are set there the same way
 * camel-fhir would set them.
 */
public final class CamelFhirGateway implements FlagStoreGateway {

    private static final String H = "CamelFhir.";

    private final ProducerTemplate template;
    private final String searchUri;
    private final String nextUri;
    private final String createUri;

    /**
     * @param camel a started or starting CamelContext
     * @param clientBean name of the {@code IGenericClient} bean in Camel's registry
     */
    public CamelFhirGateway(CamelContext camel, String clientBean) {
        this.template = camel.createProducerTemplate();
        String common = "?client=#" + clientBean + "&lazyStartProducer=true";
        this.searchUri = "fhir:search/searchByUrl" + common;
        this.nextUri = "fhir:load-page/next" + common;
        this.createUri = "fhir:create/resource" + common;
    }

    @Override
    public Bundle search(String relativeUrl) {
        try {
            return (Bundle) template.requestBodyAndHeader(searchUri, null, H + "url", relativeUrl);
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "search");
        }
    }

    @Override
    public Bundle nextPage(Bundle bundle) {
        try {
            return (Bundle) template.requestBodyAndHeader(nextUri, null, H + "bundle", bundle);
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "paging");
        }
    }

    @Override
    public MethodOutcome createIfNoneExist(IBaseResource resource, String ifNoneExist) {
        try {
            return (MethodOutcome) template.requestBodyAndHeaders(createUri, null,
                    Map.of(H + "resource", resource, H + "url", ifNoneExist));
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e, "create");
        }
    }
}
