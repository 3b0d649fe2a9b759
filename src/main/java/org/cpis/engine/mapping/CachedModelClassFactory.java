package org.cpis.engine.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * HAPI's canonical model class factory (every version reads into one version's classes) with its
 * class lookups remembered. HAPI looks a class up by name with {@code Class.forName} on every
 * parse, and a segment it has no class for (a Z-segment, or a standard segment outside the
 * message structure) fails that lookup with a new {@code ClassNotFoundException} each time: about
 * a fifth of a whole-message parse in a profile of intake. The answers never change while the
 * engine runs, so each is looked up once, "no class" included. The names come from senders' text,
 * so each cache stops growing at {@value #MAX_ENTRIES} names; past that HAPI looks up as before.
 */
public final class CachedModelClassFactory extends CanonicalModelClassFactory {
    private static final long serialVersionUID = 1L;
    static final int MAX_ENTRIES = 10_000;

    private final transient ConcurrentMap<String, Optional<Class<? extends Message>>> messages = new ConcurrentHashMap<>();
    private final transient ConcurrentMap<String, Optional<Class<? extends Group>>> groups = new ConcurrentHashMap<>();
    private final transient ConcurrentMap<String, Optional<Class<? extends Segment>>> segments = new ConcurrentHashMap<>();
    private final transient ConcurrentMap<String, Optional<Class<? extends Type>>> types = new ConcurrentHashMap<>();

    /** @param version the HL7 version whose classes every message is read into, e.g. "2.5.1" */
    public CachedModelClassFactory(String version) {
        super(version);
    }

    @Override
    public Class<? extends Message> getMessageClass(String name, String version, boolean isExplicit) throws HL7Exception {
        return cached(messages, name + '|' + version + '|' + isExplicit, () -> super.getMessageClass(name, version, isExplicit));
    }

    @Override
    public Class<? extends Group> getGroupClass(String name, String version) throws HL7Exception {
        return cached(groups, name + '|' + version, () -> super.getGroupClass(name, version));
    }

    @Override
    public Class<? extends Segment> getSegmentClass(String name, String version) throws HL7Exception {
        return cached(segments, name + '|' + version, () -> super.getSegmentClass(name, version));
    }

    @Override
    public Class<? extends Type> getTypeClass(String name, String version) throws HL7Exception {
        return cached(types, name + '|' + version, () -> super.getTypeClass(name, version));
    }

    /** How many answers are remembered, over all four kinds. */
    int remembered() {
        return messages.size() + groups.size() + segments.size() + types.size();
    }

    private interface Lookup<T> {
        Class<? extends T> find() throws HL7Exception;
    }

    /** A failed lookup (an HL7Exception, e.g. an unknown version) is not remembered: it is thrown each time. */
    private static <T> Class<? extends T> cached(ConcurrentMap<String, Optional<Class<? extends T>>> cache, String key,
            Lookup<T> lookup) throws HL7Exception {
        Optional<Class<? extends T>> known = cache.get(key);
        if (known == null) {
            known = Optional.ofNullable(lookup.find());
            if (cache.size() < MAX_ENTRIES) {
                cache.putIfAbsent(key, known);
            }
        }
        return known.orElse(null);
    }
}
