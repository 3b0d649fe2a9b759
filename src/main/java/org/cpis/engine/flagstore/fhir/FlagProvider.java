package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.Set;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.SearchParams;
import org.cpis.engine.flagstore.store.WriteResult;
import org.cpis.engine.flagstore.store.Where;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;

/** Flag: read, vread, create (conditional), update (conditional), delete, history, search. */
public final class FlagProvider implements IResourceProvider {
    private final FlagStore store;

    FlagProvider(FlagStore store) {
        this.store = store;
    }

    @Override
    public Class<Flag> getResourceType() {
        return Flag.class;
    }

    @Read(version = true)
    public Flag read(@IdParam IdType id, RequestDetails rd) {
        Integer version = id.hasVersionIdPart() ? Units.version(id) : null;
        return Units.run(store, rd, s -> store.read(s, id.getIdPart(), version));
    }

    @Create
    public MethodOutcome create(@ResourceParam Flag flag, @ConditionalUrlParam String ifNoneExist, RequestDetails rd) {
        return Units.outcome(Units.run(store, rd, s -> store.create(s, flag, ifNoneExist)));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Flag flag, @ConditionalUrlParam String conditional,
                                RequestDetails rd) {
        if (conditional == null && id != null && flag.hasIdElement() && flag.getIdElement().hasIdPart()
                && !flag.getIdElement().getIdPart().equals(id.getIdPart())) {
            throw new InvalidRequestException("the Flag.id in the body does not match the id in the URL");
        }
        return Units.outcome(Units.run(store, rd, s -> store.update(s, id == null ? null : id.getIdPart(),
                Units.version(id), flag, conditional)));
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, @ConditionalUrlParam(supportsMultiple = true) String conditional,
                                RequestDetails rd) {
        List<WriteResult> done = Units.run(store, rd, s -> store.delete(s, id == null ? null : id.getIdPart(), conditional));
        MethodOutcome mo = new MethodOutcome();
        if (done.size() == 1) {
            mo.setId(new IdType(done.get(0).resource().getIdElement().getValue()));
        }
        mo.setOperationOutcome(org.cpis.engine.flagstore.store.Outcomes.info(
                done.size() + " flag(s) set to entered-in-error"));
        return mo;
    }

    @History
    public List<Flag> history(@IdParam IdType id, RequestDetails rd) {
        return Units.run(store, rd, s -> store.history(s, id.getIdPart()));
    }

    @Search(allowUnknownParams = true)
    public IBundleProvider search(@IncludeParam(allow = {"Flag:author", "Flag:subject", "Flag:patient"}) Set<Include> includes,
            RequestDetails rd) {
        Caller caller = Requests.caller(rd);
        String remote = Requests.remote(rd);
        SearchParams sp = SearchParams.parse(rd.getParameters());
        // HAPI checks _include against the allowed list and adds each linked Organization to the bundle.
        boolean includeAuthor = includes != null && includes.stream().anyMatch(i -> "Flag:author".equals(i.getValue()));
        boolean includeSubject = includes != null && includes.stream()
                .anyMatch(i -> "Flag:subject".equals(i.getValue()) || "Flag:patient".equals(i.getValue()));
        if (sp.control("_revinclude") != null) {
            throw new InvalidRequestException("_revinclude is not supported on Flag");
        }
        if (sp.control("_sort") != null) {
            throw new InvalidRequestException("_sort is not supported on Flag (results come in id order)");
        }
        int pageSize = sp.count(store.settings().defaultPageSize(), store.settings().maxPageSize());
        Where where = Units.run(store, caller, remote, s -> store.where(s, sp));
        return new PagedResults(caller, pageSize,
                () -> Units.run(store, caller, remote, s -> store.count(s, where)),
                (offset, limit) -> Units.run(store, caller, remote, s -> store.page(s, where, offset, limit, includeAuthor, includeSubject)));
    }
}
