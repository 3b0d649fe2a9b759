package org.cpis.engine.flagstore.csv;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.fhir.BundleProcessor;
import org.hl7.fhir.r4.model.Bundle;

/** Where an import sends its batch and transaction Bundles. */
public interface FlagUploader {

    /** Sends a batch or transaction Bundle; a refusal of the whole Bundle is thrown. */
    Bundle send(Bundle bundle);

    /** Over HTTP to any FHIR server (the CLI). */
    static FlagUploader http(String baseUrl, String token) {
        FhirContext ctx = FhirContext.forR4Cached();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        ctx.getRestfulClientFactory().setSocketTimeout(600_000);
        IGenericClient client = ctx.newRestfulGenericClient(baseUrl);
        if (token != null && !token.isEmpty()) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        }
        return b -> client.transaction().withBundle(b).execute();
    }

    /** In-process to the embedded store as the council (the drop folder). */
    static FlagUploader local(BundleProcessor processor, String ods) {
        Caller caller = Caller.council(ods);
        return b -> processor.process(b, caller, "flag-drop");
    }
}
