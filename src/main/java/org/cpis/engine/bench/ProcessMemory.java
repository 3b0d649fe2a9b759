package org.cpis.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resident memory of a process from {@code /proc/<pid>/status}: VmHWM (peak resident set) and
 * VmRSS (now), in KiB. Linux only; empty elsewhere or once the process has gone.
 */
public record ProcessMemory(long vmHwmKib, long vmRssKib) {

    public double vmHwmMib() {
        return vmHwmKib / 1024.0;
    }

    public double vmRssMib() {
        return vmRssKib / 1024.0;
    }

    public static Optional<ProcessMemory> of(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"));
    }

    static Optional<ProcessMemory> read(Path status) {
        try {
            long hwm = -1;
            long rss = -1;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                }
            }
            return hwm < 0 || rss < 0 ? Optional.empty() : Optional.of(new ProcessMemory(hwm, rss));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code "VmRSS:     123456 kB"} is 123456. */
    private static long kib(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }
}
