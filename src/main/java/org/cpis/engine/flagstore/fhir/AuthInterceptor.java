package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.auth.TokenStore;

/**
 * Authenticates every request but {@code metadata} with {@code Authorization: Bearer <token>}: no or
 * unknown token is 401. What each role may do is decided next to the data (403).
 */
@Interceptor
final class AuthInterceptor {
    private final TokenStore tokens;
    private final IPagingProvider paging;

    AuthInterceptor(TokenStore tokens, IPagingProvider paging) {
        this.tokens = tokens;
        this.paging = paging;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void authenticate(RequestDetails rd, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        String header = rd.getHeader("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        Caller caller = tokens.resolve(token).orElse(null);
        if (caller == null) {
            throw new Unauthorized(token == null ? "Authorization: Bearer <token> is required" : "the bearer token is not known");
        }
        rd.getUserData().put(Requests.CALLER, caller);
        if (operation == RestOperationTypeEnum.GET_PAGE) {
            // A page of results belongs to whoever ran the search.
            String id = rd.getParameters().containsKey("_getpages") ? rd.getParameters().get("_getpages")[0] : null;
            IBundleProvider results = id == null ? null : paging.retrieveResultList(rd, id);
            if (results instanceof PagedResults pr && !pr.owner().equals(caller)) {
                throw new ForbiddenOperationException("these search results belong to another caller");
            }
        }
    }
}
