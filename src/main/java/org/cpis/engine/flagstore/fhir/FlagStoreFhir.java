package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.server.IPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import org.cpis.engine.flagstore.FlagStoreSettings;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.OtherResources;

/** The HAPI pieces of the flag store, built together: providers, transaction, capability, auth. */
public final class FlagStoreFhir {
    private final List<IResourceProvider> providers;
    private final TransactionProvider transaction;
    private final BundleProcessor bundles;
    private final CapabilityProvider capability = new CapabilityProvider();
    private final AuthInterceptor auth;

    public FlagStoreFhir(FlagStore store, FlagStoreSettings settings, IPagingProvider paging) {
        OtherResources other = new OtherResources(store);
        providers = List.of(new FlagProvider(store),
                new OtherProviders.PatientProvider(store, other),
                new OtherProviders.OrganizationProvider(store, other),
                new OtherProviders.EncounterProvider(store, other),
                new OtherProviders.AuditEventProvider(store, other));
        bundles = new BundleProcessor(store, other);
        transaction = new TransactionProvider(bundles);
        auth = new AuthInterceptor(settings.tokens(), paging);
    }

    public List<IResourceProvider> resourceProviders() {
        return providers;
    }

    public Object transactionProvider() {
        return transaction;
    }

    public Object capabilityProvider() {
        return capability;
    }

    public Object authInterceptor() {
        return auth;
    }

    public BundleProcessor bundleProcessor() {
        return bundles;
    }
}
