package org.cpis.engine.flagstore;

import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import javax.sql.DataSource;
import org.cpis.engine.flagstore.fhir.FlagStoreFhir;
import org.cpis.engine.flagstore.store.FlagStore;

/**
 * The embedded flag store: a HAPI plain-server servlet to mount at {@code /fhir/*} on the engine's
 * {@link org.cpis.engine.http.HttpServer}. Backed by the engine's database (schema V2__flagstore.sql).
 *
 * <pre>
 *   FlagStoreServer fhir = FlagStoreServer.create(database.dataSource(), FlagStoreSettings.fromConfig(config));
 *   http.mount("/fhir/*", fhir);
 * </pre>
 */
public final class FlagStoreServer extends RestfulServer {
    private static final long serialVersionUID = 1L;

    private final transient FlagStore store;
    private final transient FlagStoreFhir fhir;

    private FlagStoreServer(FlagStore store, FlagStoreFhir fhir) {
        super(org.cpis.engine.flagstore.store.Json.CTX);
        this.store = store;
        this.fhir = fhir;
    }

    public static FlagStoreServer create(DataSource dataSource, FlagStoreSettings settings) {
        FlagStore store = new FlagStore(dataSource, settings);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(200);
        paging.setDefaultPageSize(settings.defaultPageSize());
        paging.setMaximumPageSize(settings.maxPageSize());
        FlagStoreFhir fhir = new FlagStoreFhir(store, settings, paging);
        FlagStoreServer server = new FlagStoreServer(store, fhir);
        server.setPagingProvider(paging);
        server.setDefaultPageSize(settings.defaultPageSize());
        server.setMaximumPageSize(settings.maxPageSize());
        server.setResourceProviders(List.copyOf(fhir.resourceProviders()));
        server.registerProvider(fhir.transactionProvider());
        server.setServerConformanceProvider(fhir.capabilityProvider());
        server.registerInterceptor(fhir.authInterceptor());
        server.setDefaultResponseEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        return server;
    }

    /** Every request answers through {@link org.cpis.engine.flagstore.fhir.WholeBodyResponse} (one write, not one per JSON value). */
    @Override
    protected ServletRequestDetails newRequestDetails() {
        ServletRequestDetails rd = super.newRequestDetails();
        rd.setResponse(new org.cpis.engine.flagstore.fhir.WholeBodyResponse(rd));
        return rd;
    }

    /** Jetty stops the servlet before the engine closes the database: the queued audit records are committed here. */
    @Override
    public void destroy() {
        try {
            super.destroy();
        } finally {
            store.close();
        }
    }

    /** The store behind the servlet (seeding, in-process uploads). */
    public FlagStore store() {
        return store;
    }

    /** Applies a transaction or batch Bundle in-process as {@code caller} (the drop folder uses it). */
    public org.cpis.engine.flagstore.fhir.BundleProcessor bundleProcessor() {
        return fhir.bundleProcessor();
    }
}
