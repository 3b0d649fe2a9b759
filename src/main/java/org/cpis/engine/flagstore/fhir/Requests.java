package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.cpis.engine.flagstore.auth.Caller;

/** The caller and remote address the {@link AuthInterceptor} attached to a request. */
final class Requests {
    static final String CALLER = Requests.class.getName() + ".caller";

    private Requests() {
    }

    static Caller caller(RequestDetails rd) {
        Object c = rd.getUserData().get(CALLER);
        if (c instanceof Caller caller) {
            return caller;
        }
        throw new Unauthorized("no valid bearer token");
    }

    static String remote(RequestDetails rd) {
        if (rd instanceof ServletRequestDetails srd && srd.getServletRequest() != null) {
            return srd.getServletRequest().getRemoteAddr();
        }
        return "in-process";
    }
}
