package org.cpis.engine.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.lookup.FlagLookupException.Reason;
import org.cpis.engine.nhs.NhsNumber;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup stage: the visible CP-IS flags of an attendance's patient. Searches the flag store by
 * patient only (the configured template), follows paging, then applies status, period and the
 * visibility windows here ({@link VisibilityRules}). A {@link FlagPresenceCache} may answer "no
 * flag" without a search; a number the cache holds is always searched live, so what is returned
 * for a flagged child is always current.
 *
 * <p>Bean name {@code flagLookup}; the route calls {@link #lookup(Attendance)}.
 */
public final class FlagLookup {
    private static final Logger LOG = LoggerFactory.getLogger(FlagLookup.class);

    private final FlagStoreGateway gateway;
    private final LookupQueries queries;
    private final VisibilityRules rules;
    private final FlagPresenceCache cache;
    private final int maxPages;
    private final LongAdder liveSearches = new LongAdder();
    private final LongAdder cacheAnswers = new LongAdder();

    public FlagLookup(FlagStoreGateway gateway, LookupQueries queries, VisibilityRules rules,
            FlagPresenceCache cache, int maxPages) {
        this.gateway = gateway;
        this.queries = queries;
        this.rules = rules;
        this.cache = cache == null ? FlagPresenceCache.NONE : cache;
        this.maxPages = maxPages;
    }

    /**
     * Visible flags of the attendance's patient (for a merge, the surviving NHS number, which is
     * the attendance's own). Empty when the attendance may not be looked up (number missing,
     * invalid or unverified): counting those is the caller's business.
     *
     * @throws FlagLookupException when the store cannot answer (retry the attendance)
     */
    public List<FlagMatch> lookup(Attendance attendance) {
        if (!attendance.lookupAllowed() || !NhsNumber.isValid(attendance.nhsNumber())) {
            return List.of();
        }
        return lookup(attendance.nhsNumber());
    }

    /**
     * True when the cache can say, without a search, that this valid NHS number has no flag (counted
     * as a cache answer). The attendance stage asks this to finish unflagged children itself.
     */
    public boolean knownUnflagged(String nhsNumber) {
        if (NhsNumber.isValid(nhsNumber) && cache.knownUnflagged(nhsNumber)) {
            cacheAnswers.increment();
            return true;
        }
        return false;
    }

    /** A hint for intake's fast lane: the cache holds a flag for this number (not counted; never a decision). */
    public boolean mayBeFlagged(String nhsNumber) {
        return cache.mayBeFlagged(nhsNumber);
    }

    /** Visible flags for a valid NHS number. */
    public List<FlagMatch> lookup(String nhsNumber) {
        if (knownUnflagged(nhsNumber)) {
            return List.of();
        }
        liveSearches.increment();
        List<Bundle> pages = fetchAll(queries.searchFor(nhsNumber));
        FlagBundleReader reader = new FlagBundleReader(pages);
        List<FlagMatch> matches = visibleMatches(reader);
        if (!reader.flags().isEmpty()) {
            cache.sawFlags(nhsNumber);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Lookup {}: {} visible flag(s)", NhsNumber.mask(nhsNumber), matches.size());
        }
        return matches;
    }

    /** The visible CP-IS flags in already fetched search pages (for a route that searches itself). */
    public List<FlagMatch> visibleMatches(List<Bundle> pages) {
        return visibleMatches(new FlagBundleReader(pages));
    }

    private List<FlagMatch> visibleMatches(FlagBundleReader reader) {
        List<FlagMatch> out = new ArrayList<>();
        for (Flag f : reader.flags()) {
            FlagKind kind = kindOf(f);
            if (kind == null || !rules.isVisible(f, kind)) {
                continue;
            }
            Organization org = reader.author(f);
            out.add(new FlagMatch(FlagBundleReader.flagId(f), kind, reader.councilOds(f, org),
                    FlagBundleReader.councilName(f, org), f, org));
        }
        return out;
    }

    /** The search URL (relative to the store base) for an NHS number. */
    public String queryFor(String nhsNumber) {
        return queries.searchFor(nhsNumber);
    }

    /** Lookups that went to the flag store. */
    public long liveSearches() {
        return liveSearches.sum();
    }

    /** Lookups answered "no flag" by the cache without a search. */
    public long cacheAnswers() {
        return cacheAnswers.sum();
    }

    List<Bundle> fetchAll(String url) {
        List<Bundle> pages = new ArrayList<>();
        Bundle page = gateway.search(url);
        pages.add(page);
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            if (pages.size() >= maxPages) {
                // Returning part of a patient's flags could miss the one that matters.
                throw new FlagLookupException(Reason.BAD_RESPONSE, 0,
                        "more than " + maxPages + " result pages (cpis.lookup.max-pages)");
            }
            page = gateway.nextPage(page);
            pages.add(page);
        }
        return pages;
    }

    static FlagKind kindOf(Flag f) {
        for (var c : f.getCode().getCoding()) {
            if (FlagKind.SNOMED.equals(c.getSystem()) || !c.hasSystem()) {
                var k = FlagKind.fromSnomed(c.getCode());
                if (k.isPresent()) {
                    return k.get();
                }
            }
        }
        return null;
    }
}
