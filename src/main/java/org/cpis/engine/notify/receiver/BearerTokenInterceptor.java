package org.cpis.engine.notify.receiver;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Asks every request for {@code Authorization: Bearer <token>}; 401 otherwise. */
public final class BearerTokenInterceptor {
    private final byte[] expected;

    public BearerTokenInterceptor(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean check(HttpServletRequest request) {
        String h = request.getHeader("Authorization");
        // Constant-time comparison: the answer time says nothing about how much of the token matched.
        if (h == null || !MessageDigest.isEqual(expected, h.getBytes(StandardCharsets.UTF_8))) {
            throw new AuthenticationException("a valid bearer token is required");
        }
        return true;
    }
}
