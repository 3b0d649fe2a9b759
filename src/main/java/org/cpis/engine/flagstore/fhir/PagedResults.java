package org.cpis.engine.flagstore.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.cpis.engine.flagstore.auth.Caller;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;

/** Search results read from the database a page at a time (HAPI pages with {@code _getpages}). */
final class PagedResults implements IBundleProvider {

    interface Counter {
        long count();
    }

    interface Loader {
        List<? extends IBaseResource> load(int offset, int limit);
    }

    private final Caller owner;
    private final Counter counter;
    private final Loader loader;
    private final int pageSize;
    private final InstantType published = InstantType.withCurrentTime();
    private Integer size;
    /** The first page, read when the size is asked for: a lookup that fits one page costs one query. */
    private List<? extends IBaseResource> firstPage;

    PagedResults(Caller owner, int pageSize, Counter counter, Loader loader) {
        this.owner = owner;
        this.pageSize = pageSize;
        this.counter = counter;
        this.loader = loader;
    }

    Caller owner() {
        return owner;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        if (toIndex <= fromIndex) {
            return List.of();
        }
        synchronized (this) {
            if (fromIndex == 0 && firstPage != null && toIndex <= pageSize) {
                List<? extends IBaseResource> page = firstPage;
                firstPage = null;
                return new ArrayList<>(page.subList(0, Math.min(page.size(), toIndex)));
            }
        }
        return new ArrayList<>(loader.load(fromIndex, toIndex - fromIndex));
    }

    @Override
    public String getUuid() {
        return null;
    }

    @Override
    public Integer preferredPageSize() {
        return pageSize;
    }

    @Override
    public synchronized Integer size() {
        if (size == null) {
            firstPage = pageSize > 0 ? loader.load(0, pageSize) : List.of();
            size = firstPage.size() < pageSize ? firstPage.size() : (int) counter.count();
        }
        return size;
    }
}
