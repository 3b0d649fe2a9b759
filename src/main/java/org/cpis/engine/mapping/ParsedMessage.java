package org.cpis.engine.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed HAPI message plus an index of its segments by name, built once, so that each compiled
 * {@link FieldPath} is a map lookup and a terser component read. Not thread-safe: one per message.
 */
public final class ParsedMessage {

    private final Message message;
    private final Map<String, List<Segment>> segments = new HashMap<>();

    ParsedMessage(Message message) {
        this.message = message;
        try {
            index(message);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot walk the parsed message structure", e);
        }
    }

    public Message message() {
        return message;
    }

    private void index(Group group) throws HL7Exception {
        for (String name : group.getNames()) {
            Structure[] all = group.getAll(name);
            for (Structure s : all) {
                if (s instanceof Group g) {
                    index(g);
                } else if (s instanceof Segment seg) {
                    segments.computeIfAbsent(seg.getName(), k -> new ArrayList<>(2)).add(seg);
                }
            }
        }
    }

    /** The {@code rep}th segment named {@code name} in message order, or null. */
    public Segment segment(String name, int rep) {
        List<Segment> list = segments.get(name);
        return list == null || rep >= list.size() ? null : list.get(rep);
    }

    /** How many repetitions the path's field has (0 when the segment is absent). */
    public int repetitions(FieldPath path) {
        Segment seg = segment(path.segment(), path.segmentRep());
        if (seg == null) {
            return 0;
        }
        try {
            return seg.getField(path.field()).length;
        } catch (HL7Exception e) {
            return 0; // field number beyond what this segment can hold
        }
    }

    /** The value at the path, using the path's own repetition and component; null when empty. */
    public String get(FieldPath path) {
        return get(path, path.rep(), path.component(), path.subcomponent());
    }

    /** The value of one repetition/component of the path's field; null when absent or empty. */
    public String get(FieldPath path, int rep, int component, int subcomponent) {
        Segment seg = segment(path.segment(), path.segmentRep());
        if (seg == null) {
            return null;
        }
        try {
            Type[] reps = seg.getField(path.field());
            if (rep >= reps.length) {
                return null;
            }
            String v = Terser.getPrimitive(reps[rep], component, subcomponent).getValue();
            return v == null || v.isEmpty() ? null : v;
        } catch (HL7Exception | RuntimeException e) {
            return null; // a path that does not exist in this message reads as empty
        }
    }
}
