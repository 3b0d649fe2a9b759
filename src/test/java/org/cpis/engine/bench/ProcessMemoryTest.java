package org.cpis.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {

    @Test
    void readsPeakAndCurrentResidentSetInKib(@TempDir Path dir) throws Exception {
        Path status = Files.writeString(dir.resolve("status"),
                "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\nThreads:\t40\n");
        ProcessMemory m = ProcessMemory.read(status).orElseThrow();
        assertThat(m.vmHwmKib()).isEqualTo(524288);
        assertThat(m.vmHwmMib()).isEqualTo(512.0);
        assertThat(m.vmRssMib()).isEqualTo(256.0);
    }

    @Test
    void readsThisProcessAndIsEmptyForAMissingOne(@TempDir Path dir) {
        ProcessMemory self = ProcessMemory.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(self.vmRssKib()).isPositive();
        assertThat(self.vmHwmKib()).isGreaterThanOrEqualTo(self.vmRssKib());
        assertThat(ProcessMemory.read(dir.resolve("gone"))).isEmpty();
    }
}
