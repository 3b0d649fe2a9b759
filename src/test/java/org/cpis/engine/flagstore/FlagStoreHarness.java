package org.cpis.engine.flagstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import javax.sql.DataSource;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.auth.TokenStore;
import org.cpis.engine.http.HttpServer;

/** The flag store on the real engine HTTP server (port 0) over a given database, with test tokens. */
public final class FlagStoreHarness implements AutoCloseable {
    public static final String ADMIN = "t-admin";
    public static final String LOOKUP = "t-lookup";
    public static final String COUNCIL_A = "t-council-a";
    public static final String COUNCIL_B = "t-council-b";
    public static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    public final MutableClock clock = new MutableClock(TODAY);
    public final DataSource dataSource;
    public final FlagStoreServer server;
    public final HttpServer http;
    public final String base;
    private final FhirContext ctx = FhirContext.forR4Cached();

    public FlagStoreHarness(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        ctx.getRestfulClientFactory().setSocketTimeout(120_000);
        TokenStore tokens = TokenStore.of(Map.of(ADMIN, Caller.ADMIN, LOOKUP, Caller.LOOKUP,
                COUNCIL_A, Caller.council("TSTC1"), COUNCIL_B, Caller.council("TSTC2")));
        server = FlagStoreServer.create(dataSource, FlagStoreSettings.of(clock, tokens));
        http = new HttpServer("127.0.0.1", 0, 32);
        http.mount("/fhir/*", server);
        http.start();
        base = "http://127.0.0.1:" + http.port() + "/fhir";
    }

    /** A FHIR client sending this token (null = none). */
    public IGenericClient client(String token) {
        IGenericClient c = ctx.newRestfulGenericClient(base);
        if (token != null) {
            c.registerInterceptor(new BearerTokenAuthInterceptor(token));
        }
        return c;
    }

    public void clean() throws Exception {
        clock.set(TODAY);
        // Reads of the test before are audited in the background: let them land before the tables empty.
        server.store().awaitAuditWritten();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[] {"fs_audit", "fs_flag_history", "fs_flag", "fs_encounter", "fs_patient", "fs_organization"}) {
                st.executeUpdate("DELETE FROM " + t);
            }
        }
    }

    @Override
    public void close() throws Exception {
        http.close();
    }
}
