package org.cpis.engine.mapping.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link MappingBenchmark} with one fork and one thread. From the project folder:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *      org.cpis.engine.mapping.bench.MappingBenchmarkMain
 * </pre>
 *
 * The JVM running JMH must have the classes on its own class path (JMH forks a JVM with it), which
 * is why this is a plain {@code java} command rather than {@code exec:java}.
 */
public final class MappingBenchmarkMain {

    private MappingBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder()
                .include(MappingBenchmark.class.getSimpleName())
                .forks(1)
                .threads(1)
                .build();
        new Runner(opts).run();
    }
}
