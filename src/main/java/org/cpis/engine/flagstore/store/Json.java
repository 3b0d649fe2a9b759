package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.OffsetDateTime;
import java.util.Date;
import org.hl7.fhir.r4.model.Resource;

/** Resources as stored: JSON without id and meta (those come from the row's columns). */
public final class Json {
    public static final FhirContext CTX = context();

    private static FhirContext context() {
        FhirContext ctx = FhirContext.forR4();
        // An audit record names the exact flag version it saw.
        ctx.getParserOptions().setDontStripVersionsFromReferencesAtPaths("AuditEvent.entity.what");
        return ctx;
    }

    private Json() {
    }

    public static String encode(Resource r) {
        Resource copy = r.copy();
        copy.setId((String) null);
        copy.setMeta(null);
        return CTX.newJsonParser().encodeResourceToString(copy);
    }

    public static <T extends Resource> T decode(Class<T> type, String json, long id, int version, OffsetDateTime lastUpdated) {
        IParser p = CTX.newJsonParser();
        T r = p.parseResource(type, json);
        String typeName = r.fhirType();
        r.setId(typeName + "/" + id + "/_history/" + version);
        r.getMeta().setVersionId(Integer.toString(version));
        r.getMeta().setLastUpdated(Date.from(lastUpdated.toInstant()));
        return r;
    }
}
