package org.cpis.engine.flagstore.csv;

import java.nio.file.Path;
import java.util.List;

/** The outcome of one file: the file-level code, each row's result and where the result file is. */
public record ImportReport(String fileCode, String fileReason, List<RowResult> rows, Path resultFile, long millis) {
    public long accepted() {
        return rows.stream().filter(RowResult::accepted).count();
    }

    public long rejected() {
        return rows.size() - accepted();
    }

    /** One line for people: the CLI prints it, the drop folder logs it (no patient data). */
    public String summary() {
        return fileCode + " " + fileReason + ": " + accepted() + " of " + rows.size() + " rows accepted, " + rejected()
                + " rejected; results in " + resultFile;
    }
}
