package org.cpis.engine.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ca.uhn.hl7v2.parser.PipeParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.cpis.engine.bench.GeneratedMessage;
import org.cpis.engine.bench.Workload;
import org.cpis.engine.bench.WorkloadStream;
import org.cpis.engine.mapping.CachedModelClassFactory;
import org.cpis.engine.testing.Hl7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ParseCheck} against HAPI itself: whenever the check is certain, HAPI's parse (the one
 * intake ran on every message before) must succeed. Checked on the samples, the bench workload and
 * mutations of them; the check must also be certain for plain ADT, or it saves nothing.
 */
class ParseCheckTest {
    private static final long SEED = 20261202L;
    /** Whoever changes {@link ParseCheck} runs more: -Dparsecheck.mutations=1000000 -Dparsecheck.seed=N. */
    private static final int MUTATIONS = Integer.getInteger("parsecheck.mutations", 20_000);
    private static final long MUTATION_SEED = Long.getLong("parsecheck.seed", SEED);
    private final PipeParser hapi = AdtIntake.newParser();
    private final ParseCheck check = new ParseCheck(new CachedModelClassFactory("2.5.1"));

    @Test
    void plainAdtOfEveryVersionAndEventIsCertain() {
        for (String v : List.of("2.3", "2.4", "2.5.1")) {
            for (String e : List.of("A01", "A03", "A04", "A08")) {
                String m = Hl7.adt(v, e, "C1");
                assertThat(check.certainlyParses(m)).as("v%s %s", v, e).isTrue();
                assertThat(hapiAccepts(m)).isTrue();
            }
        }
    }

    @Test
    void everyBenchWorkloadMessageIsCertainAndHapiAgrees() {
        List<String> messages = workload(2_000);
        for (String m : messages) {
            assertThat(check.certainlyParses(m)).as(m).isTrue();
            assertThat(hapiAccepts(m)).as(m).isTrue();
        }
    }

    @Test
    void samplesThatAreCertainParse() throws Exception {
        List<String> samples = samples();
        assertThat(samples).hasSizeGreaterThan(10);
        int certain = 0;
        for (String m : samples) {
            if (check.certainlyParses(m)) {
                certain++;
                assertThat(hapiAccepts(m)).as(m).isTrue();
            }
        }
        assertThat(certain).as("samples taking the short way").isGreaterThan(samples.size() / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rthis is not an HL7 segment at all",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rPID|1\rpv1|1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.9\rPID|1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT|1|P|2.4\rPID|1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P\rPID|1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rPID^1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rPID|1|\\X0\\",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rOBX|1|XX|A||1",
        "MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rMSH|^~\\&|A",
        " MSH|^~\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rPID|1",
        "MSH|^~\\&#|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.7\rPID|1",
        "MSH|^^\\&|A|B|C|D|20250101||ADT^A04^ADT_A01|1|P|2.4\rPID|1",
    })
    void notCertainOutsideThePlainForm(String message) {
        assertThat(check.certainlyParses(message)).isFalse();
    }

    @Test
    void hapiAcceptsEveryMutationTheCheckIsCertainOf() throws Exception {
        List<String> bases = new ArrayList<>(workload(200));
        bases.addAll(samples());
        Random r = new Random(MUTATION_SEED);
        int certain = 0;
        int refusedByHapi = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String base = bases.get(r.nextInt(bases.size()));
            String m = base;
            List<String> applied = new ArrayList<>();
            for (int k = 1 + r.nextInt(3); k > 0 && !m.isEmpty(); k--) {
                Mutation mu = Mutation.values()[r.nextInt(Mutation.values().length)];
                m = mu.apply(m, r);
                applied.add(mu.name());
            }
            boolean hapiOk = hapiAccepts(m);
            if (!hapiOk) {
                refusedByHapi++;
            }
            if (check.certainlyParses(m)) {
                certain++;
                if (!hapiOk) {
                    fail("certain, but HAPI refuses (mutations %s): %s", applied, m.replace("\r", "<CR>"));
                }
            }
        }
        // The mutations must reach both sides of the line, or this test shows nothing.
        assertThat(certain).isGreaterThan(MUTATIONS / 10);
        assertThat(refusedByHapi).isGreaterThan(MUTATIONS / 20);
        System.out.printf("ParseCheckTest: %d mutations, %d certain, %d refused by HAPI%n", MUTATIONS, certain, refusedByHapi);
    }

    private boolean hapiAccepts(String text) {
        try {
            hapi.parse(text);
            return true;
        } catch (Exception | Error e) {
            return false;
        }
    }

    private static List<String> workload(int n) {
        WorkloadStream s = Workload.create(200, 2_000, 0.01, SEED).stream("PC", SEED);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GeneratedMessage g = s.next();
            byte[] f = g.frame();
            out.add(new String(f, 1, f.length - 3, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> samples() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("samples"))) {
            List<String> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".hl7")).sorted().toList()) {
                out.add(AdtIntake.normaliseSegments(Files.readString(p, StandardCharsets.ISO_8859_1)));
            }
            return out;
        }
    }

    /** Ways a sender's message goes wrong: stray characters, lost text, odd segments, odd header values. */
    private enum Mutation {
        INSERT_CHAR {
            String apply(String m, Random r) {
                int at = r.nextInt(m.length() + 1);
                return m.substring(0, at) + ALPHABET.charAt(r.nextInt(ALPHABET.length())) + m.substring(at);
            }
        },
        REPLACE_CHAR {
            String apply(String m, Random r) {
                int at = r.nextInt(m.length());
                return m.substring(0, at) + ALPHABET.charAt(r.nextInt(ALPHABET.length())) + m.substring(at + 1);
            }
        },
        DELETE_RANGE {
            String apply(String m, Random r) {
                int at = r.nextInt(m.length());
                return m.substring(0, at) + m.substring(Math.min(m.length(), at + 1 + r.nextInt(6)));
            }
        },
        TRUNCATE {
            String apply(String m, Random r) {
                return m.substring(0, r.nextInt(m.length() + 1));
            }
        },
        DUPLICATE_SEGMENT {
            String apply(String m, Random r) {
                List<String> s = segments(m);
                s.add(r.nextInt(s.size() + 1), s.get(r.nextInt(s.size())));
                return String.join("\r", s);
            }
        },
        DROP_SEGMENT {
            String apply(String m, Random r) {
                List<String> s = segments(m);
                s.remove(r.nextInt(s.size()));
                return String.join("\r", s);
            }
        },
        SWAP_SEGMENTS {
            String apply(String m, Random r) {
                List<String> s = segments(m);
                int a = r.nextInt(s.size());
                int b = r.nextInt(s.size());
                String t = s.get(a);
                s.set(a, s.get(b));
                s.set(b, t);
                return String.join("\r", s);
            }
        },
        RENAME_SEGMENT {
            String apply(String m, Random r) {
                List<String> s = segments(m);
                int i = r.nextInt(s.size());
                String seg = s.get(i);
                String name = r.nextBoolean() ? NAMES[r.nextInt(NAMES.length)] : randomName(r);
                s.set(i, name + (seg.length() > 3 ? seg.substring(3) : ""));
                return String.join("\r", s);
            }
        },
        ADD_SEGMENT {
            String apply(String m, Random r) {
                List<String> s = segments(m);
                StringBuilder seg = new StringBuilder(NAMES[r.nextInt(NAMES.length)]);
                for (int f = r.nextInt(12); f > 0; f--) {
                    seg.append('|');
                    for (int c = r.nextInt(5); c > 0; c--) {
                        seg.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                }
                s.add(1 + r.nextInt(s.size()), seg.toString());
                return String.join("\r", s);
            }
        },
        MESSAGE_TYPE {
            String apply(String m, Random r) {
                return setMshField(m, 9, TYPES[r.nextInt(TYPES.length)]);
            }
        },
        VERSION {
            String apply(String m, Random r) {
                return setMshField(m, 12, VERSIONS[r.nextInt(VERSIONS.length)]);
            }
        },
        DELIMITERS {
            String apply(String m, Random r) {
                String enc = DELIMS[r.nextInt(DELIMS.length)];
                return m.length() < 8 ? m : m.substring(0, 4) + enc + m.substring(8);
            }
        },
        EMPTY_LINES {
            String apply(String m, Random r) {
                int at = m.indexOf('\r', r.nextInt(m.length()));
                return at < 0 ? m + "\r\r" : m.substring(0, at) + "\r \r" + m.substring(at);
            }
        };

        static final String ALPHABET = "|^~\\&\r \t#AZ09az_-.\u0000\u00e9";
        static final String[] NAMES = {"PID", "PV1", "PV2", "EVN", "NK1", "AL1", "DG1", "PD1", "ROL", "GT1", "IN1",
            "OBX", "NTE", "ZU1", "ZXY", "MSH", "BHS", "FHS", "MRG", "ACC", "UB1", "DB1", "PR1", "IAM", "MSA", "ERR"};
        static final String[] TYPES = {"ADT^A04", "ADT^A99", "ADT^A04^ADT_A01", "ADT^A01^ADT_A01^X", "ACK^A01",
            "ADT", "ORU^R01", "ADT^A04^ORU_R01", "SIU^S12", "ADT^A08^ADT_A08", "ADT^A03^ADT_A03", "XYZ^A01^ABC_DEF",
            "ADT^^ADT_A01", "^A04", "ADT~ADT^A04", "ADT&X^A04", "adt^a04", "ADT^A04^ADT_A01^"};
        static final String[] VERSIONS = {"2.3", "2.4", "2.5.1", "2.9", "", "2.2", "3.0", "2.8", "2.4^ ", "2.3.1", "x"};
        static final String[] DELIMS = {"^~\\&", "^~|&", "^^\\&", "~^\\&", "^~\\", "^~\\&#", "#~\\&", "^~\\&&"};

        abstract String apply(String m, Random r);

        static List<String> segments(String m) {
            return new ArrayList<>(Arrays.asList(m.split("\r", -1)));
        }

        static String randomName(Random r) {
            String chars = "ABCXYZ019az |^";
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                b.append(chars.charAt(r.nextInt(chars.length())));
            }
            return b.toString();
        }

        static String setMshField(String m, int n, String value) {
            int end = m.indexOf('\r');
            String msh = end < 0 ? m : m.substring(0, end);
            String[] f = msh.split("\\|", -1);
            if (f.length < n) {
                return m;
            }
            f[n - 1] = value; // f[0] is "MSH", f[1] MSH-2
            return String.join("|", f) + (end < 0 ? "" : m.substring(end));
        }
    }
}
