package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.function.Function;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.Session;
import org.cpis.engine.flagstore.store.WriteResult;
import org.hl7.fhir.r4.model.IdType;

/** Runs one request as one database transaction, committed when the work returns normally. */
final class Units {
    private Units() {
    }

    static <T> T run(FlagStore store, RequestDetails rd, Function<Session, T> work) {
        return run(store, Requests.caller(rd), Requests.remote(rd), work);
    }

    static <T> T run(FlagStore store, Caller caller, String remote, Function<Session, T> work) {
        try (Session s = store.open(caller, remote)) {
            T result = work.apply(s);
            s.commit();
            return result;
        }
    }

    static MethodOutcome outcome(WriteResult r) {
        MethodOutcome mo = new MethodOutcome();
        mo.setId(new IdType(r.resource().getIdElement().getValue()));
        mo.setResource(r.resource());
        mo.setCreated(r.created());
        return mo;
    }

    /** The version in an If-Match header ({@code W/"3"}), or null. */
    static Integer version(IdType id) {
        if (id == null || !id.hasVersionIdPart()) {
            return null;
        }
        try {
            return Integer.parseInt(id.getVersionIdPart());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
