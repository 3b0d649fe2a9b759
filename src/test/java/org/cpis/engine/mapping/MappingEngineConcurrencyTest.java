package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.cpis.engine.attendance.Attendance;
import org.junit.jupiter.api.Test;

/** One engine shared by several threads, reloading meanwhile, gives the same answers as one thread. */
class MappingEngineConcurrencyTest {

    @Test
    void parallelMappingDuringReloadsMatchesSequentialMapping() throws Exception {
        MappingEngine engine = TestDialects.projectEngine();
        List<String> messages = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("samples"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".hl7")).sorted().toList()) {
                messages.addAll(Hl7Text.split(Hl7Text.decode(Files.readAllBytes(p))));
            }
        }
        List<Attendance> expected = messages.stream().map(m -> engine.map(m).attendance()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int same = 0;
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < messages.size(); i++) {
                            if (java.util.Objects.equals(engine.map(messages.get(i)).attendance(), expected.get(i))) {
                                same++;
                            }
                        }
                    }
                    return same;
                }));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(engine.reload()).isEmpty();
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(50 * messages.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
