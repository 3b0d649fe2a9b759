package org.cpis.engine.mapping.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cpis.engine.mapping.Hl7Text;
import org.cpis.engine.mapping.MappingEngine;
import org.cpis.engine.mapping.MappingResult;
import org.cpis.engine.mapping.MappingsSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mapping throughput on one thread: parse + dialect selection + mapping of the whole samples/
 * mix (six dialects; LF, CRLF and CR; v2.3 to v2.5.1; A01..A40 plus filtered events), cycling.
 * Not part of the test run; see {@link MappingBenchmarkMain} for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
public class MappingBenchmark {

    private MappingEngine engine;
    private String[] messages;
    private int next;

    @Setup
    public void setUp() throws Exception {
        engine = MappingEngine.load(MappingsSource.directory(Path.of("mappings")));
        messages = loadSamples(Path.of("samples")).toArray(new String[0]);
    }

    static List<String> loadSamples(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".hl7")).sorted().toList()) {
                out.addAll(Hl7Text.split(Hl7Text.decode(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no samples under " + dir.toAbsolutePath());
        }
        return out;
    }

    @Benchmark
    public MappingResult mapOne() {
        String m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return engine.map(m);
    }
}
