package org.cpis.engine.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The flags a bench preloads into the flag store. Every flag is visible on the day of the run:
 * most plans are open, some ended within the last 300 days (still inside the 365-day window).
 * Councils are TSTC1 and TSTC2, both in the council directory, so every match can be delivered.
 */
public final class FlagSet {

    private final List<FlagRow> rows;
    private final Set<String> flagged;

    private FlagSet(List<FlagRow> rows) {
        this.rows = Collections.unmodifiableList(rows);
        Set<String> s = new HashSet<>(rows.size() * 2);
        for (FlagRow r : rows) {
            s.add(r.nhsNumber());
        }
        this.flagged = Collections.unmodifiableSet(s);
    }

    /** Makes one flag per NHS number given; {@code seed} makes the kinds and dates reproducible. */
    static FlagSet of(String[] nhsNumbers, LocalDate today, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<FlagRow> rows = new ArrayList<>(nhsNumbers.length);
        for (String nhs : nhsNumbers) {
            String kind = rnd.nextInt(100) < 75 ? FlagRow.CHILD_PROTECTION_PLAN : FlagRow.LOOKED_AFTER_CHILD;
            LocalDate start = today.minusDays(30 + rnd.nextInt(1500));
            LocalDate end = null;
            if (rnd.nextInt(10) == 0) {
                end = today.minusDays(1 + rnd.nextInt(300));
                if (end.isBefore(start)) {
                    start = end.minusDays(60);
                }
            }
            rows.add(new FlagRow(nhs, kind, start, end, rnd.nextBoolean() ? "TSTC1" : "TSTC2"));
        }
        return new FlagSet(rows);
    }

    /** The flags, in generation order (the in-memory form a bulk loader takes). */
    public List<FlagRow> rows() {
        return rows;
    }

    /** NHS numbers that carry a flag: a message for one of them must end in a notification. */
    public Set<String> flaggedNhsNumbers() {
        return flagged;
    }

    public int size() {
        return rows.size();
    }

    /** Writes the council-export CSV layout ({@link FlagRow#CSV_HEADER}) and returns the file. */
    public Path writeCsv(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(FlagRow.CSV_HEADER);
            w.write('\n');
            for (FlagRow r : rows) {
                w.write(r.toCsv());
                w.write('\n');
            }
        }
        return file;
    }
}
