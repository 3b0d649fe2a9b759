package org.cpis.engine.lookup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cpis.engine.lookup.FlagLookupException.Reason;
import org.cpis.engine.nhs.NhsNumber;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cpis.lookup.cache=index}: the set of NHS numbers that have any Flag resource in the
 * store, kept in step with {@code Flag?_lastUpdated=gt<mark>} every refresh interval after one full
 * load. A number absent from the set means "no flag" only while the set is younger than
 * max-staleness; otherwise the lookup searches live. So a flag created at time C is either in the
 * set (every sync that started after C saw it) or the set is older than C, and then an absent
 * answer is given at most max-staleness after C.
 *
 * <p>The set only over-approximates: numbers of ended, inactive or deleted flags stay in it (a
 * deletion is not visible in {@code _lastUpdated}), which costs a live search, never a wrong
 * answer; the periodic full resync drops them.
 *
 * <p>The high-water mark is the store's own {@code meta.lastUpdated} (never this machine's clock,
 * so clock skew does not matter), minus an overlap that covers store transactions committing a
 * little after the time they stamp; once a sync has started an overlap after the mark was first seen,
 * the overlap is not read again until the mark moves. Freshness is measured on this machine's
 * clock, from the moment the sync's first request was sent.
 */
public final class FlaggedNumberIndex implements FlagPresenceCache, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlaggedNumberIndex.class);

    private final FlagStoreGateway gateway;
    private final LookupQueries queries;
    private final Clock clock;
    private final Duration maxStaleness;
    private final Duration refreshInterval;
    private final Duration overlap;
    private final Duration fullResyncInterval;
    private final int maxPagesPerSync;

    private volatile Set<Long> numbers = ConcurrentHashMap.newKeySet();
    private volatile Instant freshAsOf;
    private Instant highWaterMark;
    /** This machine's time when the mark last moved, and whether the overlap behind it has been re-read since. */
    private Instant markSeenAt;
    private boolean markSettled;
    private Instant lastFullSync;
    /** Counted down once a sync has started an overlap after the first full load ended: see {@link #awaitSteady}. */
    private final java.util.concurrent.CountDownLatch steady = new java.util.concurrent.CountDownLatch(1);
    private Instant steadyFrom;
    private ScheduledExecutorService scheduler;
    private volatile long syncs;
    private volatile long failures;
    private boolean failing;

    public FlaggedNumberIndex(FlagStoreGateway gateway, LookupQueries queries, Clock clock, Duration maxStaleness,
            Duration refreshInterval, Duration overlap, Duration fullResyncInterval, int maxPagesPerSync) {
        if (refreshInterval.compareTo(maxStaleness) >= 0) {
            throw new org.cpis.engine.config.ConfigException("cpis.lookup.index.refresh-interval",
                    "must be shorter than cpis.lookup.max-staleness, or the index would never be fresh enough to use");
        }
        this.gateway = gateway;
        this.queries = queries;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        this.refreshInterval = refreshInterval;
        this.overlap = overlap;
        this.fullResyncInterval = fullResyncInterval;
        this.maxPagesPerSync = maxPagesPerSync;
    }

    @Override
    public boolean knownUnflagged(String nhsNumber) {
        Instant fresh = freshAsOf;
        if (fresh == null || Duration.between(fresh, clock.instant()).compareTo(maxStaleness) > 0) {
            return false;
        }
        Long key = key(nhsNumber);
        return key != null && !numbers.contains(key);
    }

    @Override
    public boolean mayBeFlagged(String nhsNumber) {
        Long key = key(nhsNumber);
        return key != null && numbers.contains(key);
    }

    @Override
    public void sawFlags(String nhsNumber) {
        Long key = key(nhsNumber);
        if (key != null) {
            numbers.add(key);
        }
    }

    /** Starts the background refresh: a full load now, then an incremental sync every refresh interval. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpis-flag-index");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (failing) {
                failing = false;
                LOG.info("Flag index sync recovered");
            }
        } catch (RuntimeException | Error e) {
            // An Error too (a class missing after the jar was replaced under a running engine, say):
            // one that escaped would end the schedule silently, and the index would never sync again.
            failures++;
            // No patient data in these messages (see FlagLookupException). Lookups fall back to
            // live search once the index is older than max-staleness. Warn once per outage, not every second.
            String why = e instanceof Error ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage();
            if (!failing) {
                failing = true;
                LOG.warn("Flag index sync failed, lookups search live until it recovers: {}", why);
            } else {
                LOG.debug("Flag index sync still failing: {}", why);
            }
        }
    }

    /** One sync step: a full load when due (or never done, or the store had no mark), else incremental. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        if (lastFullSync == null || highWaterMark == null
                || Duration.between(lastFullSync, now).compareTo(fullResyncInterval) >= 0) {
            fullResync();
            return;
        }
        Instant started = clock.instant();
        // Re-read the overlap only until one sync has started an overlap after the mark was first
        // seen: by then every transaction stamped up to the mark has committed and been read. Without
        // this, a bulk load (thousands of flags stamped within the overlap of the newest) was read
        // again every second for as long as no newer flag arrived.
        Instant since = markSettled ? highWaterMark : highWaterMark.minus(overlap);
        Set<Long> target = numbers;
        Loaded loaded = load(queries.incrementalSince(since), target, highWaterMark);
        advanceMark(loaded.mark(), started);
        freshAsOf = started;
        syncs++;
        if (steadyFrom != null && (loaded.pages() <= 1 || !started.isBefore(steadyFrom))) {
            steady.countDown();
        }
    }

    /** Moves the mark; it counts as settled once a sync started at least an overlap after it was seen. */
    private void advanceMark(Instant mark, Instant syncStarted) {
        if (mark != null && (highWaterMark == null || mark.isAfter(highWaterMark))) {
            highWaterMark = mark;
            markSeenAt = clock.instant();
            markSettled = false;
        } else if (!markSettled && markSeenAt != null
                && Duration.between(markSeenAt, syncStarted).compareTo(overlap) >= 0) {
            markSettled = true;
        }
    }

    /** Loads every flag's number into a new set and swaps it in. */
    public synchronized void fullResync() {
        Instant started = clock.instant();
        Set<Long> fresh = ConcurrentHashMap.newKeySet();
        Loaded loaded = load(queries.indexFull(), fresh, null);
        Instant mark = loaded.mark();
        numbers = fresh;
        highWaterMark = mark;
        markSeenAt = clock.instant();
        markSettled = false;
        lastFullSync = started;
        freshAsOf = started;
        syncs++;
        if (steadyFrom == null) {
            steadyFrom = markSeenAt.plus(overlap);
            if (loaded.pages() <= 1) {
                // A small store: re-reading its overlap costs one page, nothing to wait for.
                steady.countDown();
            }
        }
        LOG.info("Flag index loaded: {} flagged NHS numbers", fresh.size());
        if (mark == null && !fresh.isEmpty()) {
            // Without meta.lastUpdated there is no mark to sync from: every refresh is a full load.
            LOG.warn("Flags from the store carry no meta.lastUpdated: the flag index reloads in full every refresh");
        }
    }

    /** What one sync read: the newest stamp seen (or the mark it started from) and how many pages. */
    private record Loaded(Instant mark, int pages) {
    }

    private Loaded load(String url, Set<Long> into, Instant mark) {
        Bundle page = gateway.search(url);
        int pages = 1;
        while (true) {
            FlagBundleReader reader = new FlagBundleReader(List.of(page));
            for (Flag f : reader.flags()) {
                String nhs = reader.subjectNhsNumber(f);
                if (nhs == null) {
                    // A flag whose patient cannot be told would be hidden by the index: refuse to
                    // call the index complete (lookups then search live) rather than guess.
                    throw new FlagLookupException(Reason.BAD_RESPONSE, 0, "index sync: a Flag without a readable "
                            + "subject NHS number (add _include=Flag:subject to the index queries in lookup.yaml)");
                }
                Long key = key(nhs);
                if (key != null) {
                    // An invalid number is never looked up, so it need not be in the set.
                    into.add(key);
                }
                if (f.getMeta().hasLastUpdated()) {
                    Instant lu = f.getMeta().getLastUpdated().toInstant();
                    if (mark == null || lu.isAfter(mark)) {
                        mark = lu;
                    }
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return new Loaded(mark, pages);
            }
            if (++pages > maxPagesPerSync) {
                throw new FlagLookupException(Reason.BAD_RESPONSE, 0,
                        "index sync: more than " + maxPagesPerSync + " pages (cpis.lookup.index.max-pages)");
            }
            page = gateway.nextPage(page);
        }
    }

    /**
     * Waits at most {@code wait} until the index is steady: loaded, and with its syncs down to one
     * page. Until an overlap has passed after the load, each sync re-reads the flags stamped within
     * the overlap of the newest: thousands after a bulk load. True once steady.
     */
    public boolean awaitSteady(Duration wait) throws InterruptedException {
        return steady.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** When the last successful sync started, or null before the first one. */
    public Instant freshAsOf() {
        return freshAsOf;
    }

    /** How many NHS numbers the index holds. */
    public int size() {
        return numbers.size();
    }

    public long syncCount() {
        return syncs;
    }

    public long failureCount() {
        return failures;
    }

    private static Long key(String nhsNumber) {
        return NhsNumber.isValid(nhsNumber) ? Long.valueOf(nhsNumber) : null;
    }
}
