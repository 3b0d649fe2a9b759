package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.AbstractSegment;
import ca.uhn.hl7v2.model.GenericSegment;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ParsedMessage} reads fields by position; the engine used to read them through HAPI's
 * types (the v2.5.1 segment class's type for each field, filled by {@code PipeParser.parse(Type,
 * ...)} and read with {@code Terser.getPrimitive}). This checks, value by value, that both read
 * the same from random messages full of separators, empty pieces and escape sequences, from
 * every sample, and under other encoding characters.
 */
class ParsedMessageHapiParityTest {

    private static final String[] SEGMENTS = {"EVN", "PID", "PD1", "NK1", "PV1", "PV2", "OBX", "AL1", "ZU1", "ZXY"};
    private static final String[] TOKENS = {"", "", "A", "Smith", "9434765919", "20261203101500+0000", " padded ",
        "O'Brien", "a b", "\\F\\", "x\\S\\y", "\\T\\", "\\R\\", "\\E\\", "\\.br\\", "\\X41\\", "\\H\\bold\\N\\",
        "lone\\", "\"\"", "TSTC1", "Ünïcödé"};

    /** One field: HAPI's type for each repetition, and each repetition's text. */
    private record Field(Type[] types, String[] raw) {
        static final Field EMPTY = new Field(new Type[0], new String[0]);
    }

    /** The old reading: the HAPI type of each field and repetition, from a new segment per message. */
    private static final class HapiOracle {
        private final ModelClassFactory factory = new CanonicalModelClassFactory("2.5.1");
        private final PipeParser parser;
        private final Message parent;

        HapiOracle() {
            HapiContext ctx = new DefaultHapiContext();
            ctx.setModelClassFactory(factory);
            ctx.setValidationContext(ValidationContextFactory.noValidation());
            parser = ctx.getPipeParser();
            parent = new ADT_A01(factory);
            parent.setParser(parser);
        }

        AbstractSegment segment(String name) throws Exception {
            Class<? extends Segment> c = factory.getSegmentClass(name, "2.5.1");
            if (c == null) {
                return new GenericSegment(parent, name);
            }
            return c.asSubclass(AbstractSegment.class).getConstructor(Group.class, ModelClassFactory.class)
                    .newInstance(parent, factory);
        }

        /** Every field's repetitions of one segment, typed and parsed by HAPI. */
        List<Field> read(String segment, EncodingCharacters enc) throws Exception {
            String name = segment.substring(0, 3);
            AbstractSegment typed = segment(name);
            String[] fields = segment.split("\\" + enc.getFieldSeparator(), -1);
            // Indexed by field number. MSH-1 is the separator, so MSH-n is fields[n - 1]; the
            // delimiters (MSH-1, MSH-2) are not data and paths cannot name them.
            boolean msh = name.equals("MSH");
            List<Field> out = new ArrayList<>();
            out.add(Field.EMPTY);
            if (msh) {
                out.add(Field.EMPTY);
            }
            for (int f = 1; f < fields.length; f++) {
                int number = msh ? f + 1 : f;
                if ((msh && number <= 2) || fields[f].isEmpty()) {
                    out.add(Field.EMPTY);
                    continue;
                }
                String[] reps = fields[f].split(java.util.regex.Pattern.quote(String.valueOf(enc.getRepetitionSeparator())), -1);
                Type[] types = new Type[reps.length];
                for (int r = 0; r < reps.length; r++) {
                    types[r] = typed.getField(number, r);
                    parser.parse(types[r], reps[r], enc);
                }
                out.add(new Field(types, reps));
            }
            return out;
        }

        static String value(Type t, int component, int subcomponent) {
            String v = Terser.getPrimitive(t, component, subcomponent).getValue();
            return v == null || v.isEmpty() ? null : v;
        }
    }

    private final HapiOracle hapi = new HapiOracle();

    @Test
    void readsWhatHapisTypesReadFromRandomMessages() throws Exception {
        Random random = new Random(20261203L);
        int compared = 0;
        for (int i = 0; i < 300; i++) {
            compared += compareRandom(random, "|", "^~\\&");
        }
        assertThat(compared).isGreaterThan(1_000_000);
    }

    @Test
    void readsWhatHapisTypesReadUnderOtherEncodingCharacters() throws Exception {
        Random random = new Random(7L);
        int compared = 0;
        for (int i = 0; i < 100; i++) {
            compared += compareRandom(random, "#", "!*$%");
            compared += compareRandom(random, "|", "^~\\&#");
        }
        assertThat(compared).isGreaterThan(300_000);
    }

    @Test
    void readsWhatHapisTypesReadFromEverySample() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("samples"))) {
            files = s.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        int compared = 0;
        for (Path file : files) {
            for (String message : Hl7Text.split(Files.readString(file))) {
                String cr = Hl7Text.normalise(message);
                if (!cr.startsWith("MSH") || cr.length() < 9) {
                    continue;
                }
                compared += compare(cr, cr.substring(3, 4), cr.substring(4, cr.indexOf(cr.charAt(3), 4)));
            }
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertThat(compared).isGreaterThan(50_000);
    }

    /**
     * Where the readings part, on purpose: HAPI keeps subcomponent 2 of a primitive field's
     * first component in the same slot as component 2 (its "extra components"), so one
     * overwrites the other; here each is read as written.
     */
    @Test
    void aSubcomponentOfAPrimitiveFieldIsItsOwn() throws Exception {
        String message = "MSH|^~\\&|PAS|RX1|CPIS|CPIS|20261203101500||ADT^A04|C1|P|2.4\rPV1|1&second^other\r";
        ParsedMessage ours = Hl7Parser.parse(message);
        FieldPath pv11 = FieldPath.compile("PV1-1");
        assertThat(ours.get(pv11, 0, 1, 2)).isEqualTo("second");
        assertThat(ours.get(pv11, 0, 2, 1)).isEqualTo("other");

        Type si = hapi.read(message.split("\r")[1], new EncodingCharacters('|', "^~\\&")).get(1).types()[0];
        assertThat(si).isInstanceOf(Primitive.class);
        assertThat(HapiOracle.value(si, 1, 2)).isEqualTo("other");
        assertThat(HapiOracle.value(si, 2, 1)).isEqualTo("other");
        ParsedMessage alone = Hl7Parser.parse(message.replace("^other", ""));
        assertThat(alone.get(pv11, 0, 2, 1)).isNull();
    }

    private int compareRandom(Random random, String fieldSep, String encodingChars) throws Exception {
        return compare(randomMessage(random, fieldSep, encodingChars), fieldSep, encodingChars);
    }

    /** Compares every value both readers can be asked for; returns how many were compared. */
    private int compare(String message, String fieldSep, String encodingChars) throws Exception {
        EncodingCharacters enc = new EncodingCharacters(fieldSep.charAt(0), encodingChars);
        ParsedMessage ours = Hl7Parser.parse(message);
        Map<String, Integer> seen = new HashMap<>();
        int compared = 0;
        // Both read the message as the engine does: Hl7Text.normalise drops trailing whitespace.
        for (String segment : Hl7Text.normalise(message).split("\r")) {
            String name = segment.substring(0, 3);
            int segRep = seen.merge(name, 1, Integer::sum) - 1;
            List<Field> fields = hapi.read(segment, enc);
            for (int f = name.equals("MSH") ? 3 : 1; f < fields.size() + 2; f++) {
                FieldPath path = FieldPath.compile(name + "(" + segRep + ")-" + f);
                Field field = f < fields.size() ? fields.get(f) : Field.EMPTY;
                Type[] reps = field.types();
                String where = name + "(" + segRep + ")-" + f + " of " + message.replace('\r', '\n');
                assertThat(ours.repetitions(path)).as(where).isEqualTo(reps.length);
                for (int r = 0; r <= reps.length; r++) {
                    for (int c = 1; c <= 8; c++) {
                        for (int s = 1; s <= 4; s++) {
                            if (r < reps.length && aliasedByHapi(reps[r], field.raw()[r], enc, c, s)) {
                                continue;
                            }
                            String expected = r < reps.length ? HapiOracle.value(reps[r], c, s) : null;
                            assertThat(ours.get(path, r, c, s)).as("%s (%d) -%d-%d", where, r, c, s).isEqualTo(expected);
                            compared++;
                        }
                    }
                }
            }
        }
        return compared;
    }

    /**
     * In a primitive field HAPI keeps subcomponent n of the first component in the slot of
     * component n, so where the first component has subcomponents the two overwrite each other
     * (see aSubcomponentOfAPrimitiveFieldIsItsOwn).
     */
    private static boolean aliasedByHapi(Type type, String raw, EncodingCharacters enc, int c, int s) {
        if (!(type instanceof Primitive)) {
            return false;
        }
        if (c == 1 && s > 1) {
            return true;
        }
        int end = raw.indexOf(enc.getComponentSeparator());
        String first = end < 0 ? raw : raw.substring(0, end);
        return c > 1 && s == 1 && first.indexOf(enc.getSubcomponentSeparator()) >= 0;
    }

    private static String randomMessage(Random random, String fieldSep, String enc) {
        char comp = enc.charAt(0);
        char rep = enc.charAt(1);
        char sub = enc.charAt(3);
        StringBuilder sb = new StringBuilder("MSH").append(fieldSep).append(enc).append(fieldSep)
                .append("PAS").append(fieldSep).append("RX1").append(fieldSep).append("CPIS").append(fieldSep)
                .append("CPIS").append(fieldSep).append("20261203101500").append(fieldSep).append(fieldSep)
                .append("ADT").append(comp).append("A04").append(fieldSep).append("C1").append(fieldSep)
                .append("P").append(fieldSep).append("2.4");
        int segments = 1 + random.nextInt(6);
        for (int i = 0; i < segments; i++) {
            sb.append('\r').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
            int fields = random.nextInt(45);
            for (int f = 0; f < fields; f++) {
                sb.append(fieldSep);
                if (random.nextInt(3) == 0) {
                    continue;
                }
                int reps = 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 1);
                for (int r = 0; r < reps; r++) {
                    if (r > 0) {
                        sb.append(rep);
                    }
                    int comps = 1 + random.nextInt(random.nextBoolean() ? 7 : 2);
                    for (int c = 0; c < comps; c++) {
                        if (c > 0) {
                            sb.append(comp);
                        }
                        int subs = 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0);
                        for (int s = 0; s < subs; s++) {
                            if (s > 0) {
                                sb.append(sub);
                            }
                            sb.append(TOKENS[random.nextInt(TOKENS.length)].replace('\\', enc.charAt(2)));
                        }
                    }
                }
            }
        }
        return sb.append('\r').toString();
    }
}
