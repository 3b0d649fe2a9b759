package org.cpis.engine.lookup;

import ca.uhn.fhir.rest.api.MethodOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The few calls the lookup stage makes on the flag store. Production goes through camel-fhir
 * ({@link CamelFhirGateway}); the interface keeps the lookup logic free of Camel. Every method
 * throws {@link FlagLookupException} when the store cannot answer.
 */
public interface FlagStoreGateway {

    /** Runs a search given as a URL relative to the base ({@code Flag?patient.identifier=...}). */
    Bundle search(String relativeUrl);

    /** Loads the page the bundle's {@code next} link points to. */
    Bundle nextPage(Bundle bundle);

    /** Conditional create: creates the resource unless a resource matches {@code ifNoneExist}. */
    MethodOutcome createIfNoneExist(IBaseResource resource, String ifNoneExist);
}
