package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.OtherResources;
import org.cpis.engine.flagstore.store.Outcomes;
import org.cpis.engine.flagstore.store.Session;
import org.cpis.engine.flagstore.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction and batch Bundles. A transaction is one database transaction: every entry applies or
 * none does. A batch applies each entry on its own (a savepoint each), so one bad entry never stops
 * the others; the bulk CSV upload sends batches. Entries run in FHIR order: DELETE, POST, PUT.
 */
public final class BundleProcessor {
    private final FlagStore store;
    private final OtherResources other;

    public BundleProcessor(FlagStore store, OtherResources other) {
        this.store = store;
        this.other = other;
    }

    public Bundle process(Bundle in, Caller caller, String remote) {
        if (in.getType() != Bundle.BundleType.TRANSACTION && in.getType() != Bundle.BundleType.BATCH) {
            throw new InvalidRequestException("Bundle.type must be transaction or batch");
        }
        boolean transaction = in.getType() == Bundle.BundleType.TRANSACTION;
        List<BundleEntryComponent> entries = in.getEntry();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> rank(entries.get(i))));
        Bundle out = new Bundle();
        out.setType(transaction ? Bundle.BundleType.TRANSACTIONRESPONSE : Bundle.BundleType.BATCHRESPONSE);
        for (int i = 0; i < entries.size(); i++) {
            out.addEntry();
        }
        Map<String, String> fullUrls = new HashMap<>();
        try (Session s = store.open(caller, remote)) {
            List<String> nhs = new ArrayList<>();
            for (BundleEntryComponent e : entries) {
                if (e.getResource() instanceof Flag f) {
                    nhs.add(org.cpis.engine.flagstore.FlagRules.nhsNumber(f));
                }
            }
            store.prefetchPatients(s, nhs);
            for (int i : order) {
                BundleEntryComponent e = entries.get(i);
                Savepoint sp = transaction ? null : s.savepoint();
                try {
                    out.getEntry().set(i, apply(s, e, fullUrls));
                } catch (BaseServerResponseException ex) {
                    if (transaction) {
                        throw located(ex, i);
                    }
                    s.rollbackTo(sp);
                    out.getEntry().set(i, failed(ex));
                } catch (RuntimeException ex) {
                    if (transaction) {
                        throw located(new InternalErrorException("entry could not be stored", ex), i);
                    }
                    s.rollbackTo(sp);
                    out.getEntry().set(i, failed(new InternalErrorException("entry could not be stored")));
                }
            }
            s.commit();
        }
        return out;
    }

    private static int rank(BundleEntryComponent e) {
        HTTPVerb m = e.getRequest().getMethod();
        if (m == null) {
            return 9;
        }
        return switch (m) {
            case DELETE -> 0;
            case POST -> e.getResource() instanceof Organization ? 1 : e.getResource() instanceof Patient ? 2 : 3;
            case PUT -> 4;
            default -> 5;
        };
    }

    private BundleEntryComponent apply(Session s, BundleEntryComponent e, Map<String, String> fullUrls) {
        HTTPVerb method = e.getRequest().getMethod();
        String url = e.getRequest().getUrl();
        if (method == null || url == null || url.isBlank()) {
            throw new InvalidRequestException("Bundle.entry.request.method and .url are required");
        }
        int q = url.indexOf('?');
        String path = q >= 0 ? url.substring(0, q) : url;
        String conditional = q >= 0 ? url : null;
        String[] parts = path.split("/");
        String type = parts[0];
        String id = parts.length > 1 ? parts[1] : null;
        Resource r = e.getResource();
        if (r != null) {
            resolveReferences(r, fullUrls);
            if (!r.fhirType().equals(type)) {
                throw new InvalidRequestException("entry resource is a " + r.fhirType() + " but the request URL names " + type);
            }
        }
        WriteResult result;
        switch (method) {
            case POST -> {
                String ifNoneExist = e.getRequest().getIfNoneExist();
                result = switch (type) {
                    case "Flag" -> store.create(s, (Flag) r, ifNoneExist);
                    case "Encounter" -> other.createEncounter(s, (Encounter) r, ifNoneExist);
                    case "Organization" -> other.writeOrganization(s, null, (Organization) r, null);
                    case "Patient" -> other.writePatient(s, null, (Patient) r, null);
                    default -> throw new MethodNotAllowedException("POST " + type + " is not supported");
                };
                if (e.hasFullUrl()) {
                    fullUrls.put(e.getFullUrl(), result.resource().getIdElement().toUnqualifiedVersionless().getValue());
                }
            }
            case PUT -> {
                Integer ifMatch = parseEtag(e.getRequest().getIfMatch());
                result = switch (type) {
                    case "Flag" -> store.update(s, id, ifMatch, (Flag) r, conditional);
                    case "Organization" -> other.writeOrganization(s, conditional != null ? null : id, (Organization) r, conditional);
                    case "Patient" -> other.writePatient(s, conditional != null ? null : id, (Patient) r, conditional);
                    default -> throw new MethodNotAllowedException("PUT " + type + " is not supported");
                };
            }
            case DELETE -> {
                if (!type.equals("Flag")) {
                    throw new MethodNotAllowedException("DELETE is supported on Flag only");
                }
                List<WriteResult> done = store.delete(s, id, conditional);
                BundleEntryComponent resp = new BundleEntryComponent();
                resp.getResponse().setStatus("200 OK").setOutcome(Outcomes.info(done.size() + " flag(s) set to entered-in-error"));
                return resp;
            }
            default -> throw new MethodNotAllowedException(method.toCode() + " is not supported inside a Bundle");
        }
        BundleEntryComponent resp = new BundleEntryComponent();
        String versionId = result.resource().getMeta().getVersionId();
        resp.getResponse()
                .setStatus(result.created() ? "201 Created" : "200 OK")
                .setLocation(result.resource().getIdElement().getValue())
                .setEtag("W/\"" + versionId + "\"")
                .setLastModified(result.resource().getMeta().getLastUpdated());
        return resp;
    }

    private static void resolveReferences(Resource r, Map<String, String> fullUrls) {
        if (fullUrls.isEmpty()) {
            return;
        }
        for (IBaseReference ref : org.cpis.engine.flagstore.store.Json.CTX.newTerser()
                .getAllPopulatedChildElementsOfType(r, IBaseReference.class)) {
            String target = ref.getReferenceElement().getValue();
            if (target != null && fullUrls.containsKey(target)) {
                ref.setReference(fullUrls.get(target));
            }
        }
    }

    static Integer parseEtag(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String v = etag.replace("W/", "").replace("\"", "").trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("If-Match must be W/\"<version>\"");
        }
    }

    private static BundleEntryComponent failed(BaseServerResponseException ex) {
        BundleEntryComponent resp = new BundleEntryComponent();
        OperationOutcome oo = ex.getOperationOutcome() instanceof OperationOutcome o ? o
                : Outcomes.of(OperationOutcome.IssueType.PROCESSING, null, ex.getMessage());
        resp.getResponse().setStatus(ex.getStatusCode() + " " + reason(ex.getStatusCode())).setOutcome(oo);
        return resp;
    }

    /** Says which entry failed, keeping the status and the element named by the original outcome. */
    private static BaseServerResponseException located(BaseServerResponseException ex, int index) {
        OperationOutcome oo = ex.getOperationOutcome() instanceof OperationOutcome o ? o
                : Outcomes.of(OperationOutcome.IssueType.PROCESSING, null, ex.getMessage());
        for (var issue : oo.getIssue()) {
            issue.setDiagnostics("Bundle.entry[" + index + "]: " + issue.getDiagnostics());
            issue.addLocation("Bundle.entry[" + index + "]");
        }
        ex.setOperationOutcome(oo);
        return ex;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Entity";
            default -> "Error";
        };
    }
}
