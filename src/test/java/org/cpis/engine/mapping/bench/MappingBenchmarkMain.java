package org.cpis.engine.mapping.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import org.cpis.engine.mapping.MappingEngine;
import org.cpis.engine.mapping.MappingsSource;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link MappingBenchmark} with one fork and one thread. From the project folder:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *      org.cpis.engine.mapping.bench.MappingBenchmarkMain            # JMH, wall-clock ops/s
 * java -cp ... org.cpis.engine.mapping.bench.MappingBenchmarkMain --cpu-time
 * </pre>
 *
 * JMH counts wall-clock time, which on a busy shared machine measures the scheduler as much as the
 * code. {@code --cpu-time} instead maps the same mix on this thread for 20 CPU-seconds after a
 * warm-up and divides by the thread's own CPU time: messages per second of one core.
 * The JVM running JMH must have the classes on its own class path (JMH forks a JVM with it), which
 * is why this is a plain {@code java} command rather than {@code exec:java}.
 */
public final class MappingBenchmarkMain {

    private MappingBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cpu-time")) {
            cpuTime();
            return;
        }
        Options opts = new OptionsBuilder()
                .include(MappingBenchmark.class.getSimpleName())
                .forks(1)
                .threads(1)
                .build();
        new Runner(opts).run();
    }

    private static void cpuTime() throws Exception {
        MappingEngine engine = MappingEngine.load(MappingsSource.directory(Path.of("mappings")));
        List<String> messages = MappingBenchmark.loadSamples(Path.of("samples"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long blackhole = 0;
        for (int round = 0; round < 30; round++) {
            long start = mx.getCurrentThreadCpuTime();
            int n = 0;
            while (mx.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
                blackhole += engine.map(messages.get(n % messages.size())).outcome().ordinal();
                n++;
            }
            double perSecond = n * 1e9 / (mx.getCurrentThreadCpuTime() - start);
            System.out.printf("%s %2d: %,.0f messages per CPU-second%n", round < 10 ? "warm-up  " : "measure  ", round,
                    perSecond);
        }
        System.out.println("(" + messages.size() + " messages in the mix; checksum " + blackhole + ")");
    }
}
