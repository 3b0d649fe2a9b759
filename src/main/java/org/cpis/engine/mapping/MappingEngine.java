package org.cpis.engine.mapping;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping service: HL7 v2 text in, {@link MappingResult} out. Thread-safe; the dialect set is
 * swapped atomically by {@link #reload()}, so a message is always mapped by one whole set.
 *
 * <pre>
 * MappingEngine engine = MappingEngine.load(MappingsSource.directoryOrClasspath(Path.of("./mappings")));
 * MappingResult r = engine.map(hl7Text);
 * </pre>
 */
public final class MappingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(MappingEngine.class);
    private static final FieldPath MSH_3 = FieldPath.compile("MSH-3-1");
    private static final FieldPath MSH_4 = FieldPath.compile("MSH-4-1");

    private final MappingsSource source;
    private final AtomicReference<DialectSet> current;

    public MappingEngine(MappingsSource source, DialectSet dialects) {
        this.source = source;
        this.current = new AtomicReference<>(dialects);
    }

    /**
     * The engine's mapping service as configured: dialects from {@code cpis.mappings.dir} when that
     * folder exists, else the copy packed in the jar.
     */
    public static MappingEngine fromConfig(org.cpis.engine.config.EngineConfig config) throws InvalidMappingsException {
        return load(MappingsSource.directoryOrClasspath(java.nio.file.Path.of(config.get("cpis.mappings.dir", "./mappings"))));
    }

    /** Loads the dialects from {@code source}; fails with every fault when they are invalid. */
    public static MappingEngine load(MappingsSource source) throws InvalidMappingsException {
        return new MappingEngine(source, DialectLoader.load(source));
    }

    public MappingsSource source() {
        return source;
    }

    /** The dialect set in force now. */
    public DialectSet dialects() {
        return current.get();
    }

    /** Maps a message with the dialect its MSH-3/MSH-4 select. */
    public MappingResult map(String hl7) {
        return map(hl7, null);
    }

    /**
     * Maps a message with the named dialect, or the selected one when {@code dialectName} is null.
     * Never throws for a bad message: that is a FAILED result.
     */
    public MappingResult map(String hl7, String dialectName) {
        DialectSet set = current.get();
        ParsedMessage msg;
        try {
            msg = Hl7Parser.parse(hl7);
        } catch (Hl7Parser.ParseException e) {
            return MappingResult.failed(e.getMessage(), null, null);
        }
        Dialect d = choose(set, msg, dialectName);
        if (d == null) {
            return MappingResult.failed("no dialect named " + dialectName, null, null);
        }
        try {
            return AttendanceMapper.map(d, msg);
        } catch (RuntimeException e) {
            // A mapping bug must not lose the message or leak it: class name only, the stack at DEBUG.
            LOG.debug("mapping failed in dialect {}", d.name(), e);
            return MappingResult.failed("mapping error in dialect " + d.name() + " ("
                    + e.getClass().getSimpleName() + ")", d.name(), null);
        }
    }

    private static Dialect choose(DialectSet set, ParsedMessage msg, String dialectName) {
        if (dialectName != null) {
            return set.byName(dialectName);
        }
        return set.select(msg.get(MSH_3), msg.get(MSH_4));
    }

    /**
     * Reads and validates the whole dialect set again and swaps it in when it is valid. When it is
     * not, every fault is logged at ERROR as {@code file:line: what is wrong} and the set in force
     * stays.
     *
     * @return the faults; empty when the new set is in force
     */
    public java.util.List<MappingError> reload() {
        DialectLoader.Result r;
        try {
            r = DialectLoader.validate(source.read());
        } catch (RuntimeException e) {
            MappingError err = new MappingError(source.describe(), 0, "cannot read the mappings: " + e.getMessage());
            LOG.error("mapping reload refused, the previous mappings stay in force: {}", err);
            return java.util.List.of(err);
        }
        if (!r.ok()) {
            for (MappingError e : r.errors()) {
                LOG.error("mapping reload refused, the previous mappings stay in force: {}", e);
            }
            return r.errors();
        }
        current.set(r.dialects());
        LOG.info("mappings reloaded from {}: {} dialect(s)", source.describe(), r.dialects().all().size());
        return java.util.List.of();
    }
}
