package org.cpis.engine.flagstore.csv;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagRules;
import org.cpis.engine.flagstore.FlagStoreSeeder;
import org.cpis.engine.nhs.NhsNumber;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Uploads a council's flag CSV. Every row is checked with the store's own rules first; good rows go
 * in batch Bundles of conditional updates on the council's local id (a bad row never stops a good
 * one), or with {@code replace} in one transaction Bundle that first retires the council's current
 * flags (atomic: all or nothing). Per-row results go to {@code <name>.result.csv} next to the input.
 */
public final class FlagImporter {
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private final FlagCsvLayout layout;
    private final FlagUploader uploader;
    private final int batchSize;
    private final Clock clock;

    public FlagImporter(FlagCsvLayout layout, FlagUploader uploader, int batchSize, Clock clock) {
        this.layout = layout;
        this.uploader = uploader;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    public FlagImporter(FlagCsvLayout layout, FlagUploader uploader) {
        this(layout, uploader, DEFAULT_BATCH_SIZE, Clock.systemUTC());
    }

    /** Result file of an input: {@code flags.csv} gives {@code flags.result.csv}. */
    public static Path resultFileOf(Path input) {
        String name = input.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return input.resolveSibling(base + ".result.csv");
    }

    public ImportReport importFile(Path csv, String ods, boolean replace) throws IOException {
        long t0 = System.nanoTime();
        String council = ods.trim().toUpperCase(Locale.ROOT);
        List<RowResult> results = new ArrayList<>();
        List<Flag> flags = new ArrayList<>();
        List<Integer> flagRows = new ArrayList<>();
        String fileCode;
        String fileReason;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String headerProblem = parse(r, council, results, flags, flagRows);
            if (headerProblem != null) {
                return finish(csv, ResultCodes.F_REJECTED, headerProblem, results, t0);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            return finish(csv, ResultCodes.F_REJECTED, "file is not UTF-8 text", results, t0);
        }
        if (replace && flags.isEmpty()) {
            return finish(csv, ResultCodes.F_REJECTED, "no valid rows: refusing to replace the council's flags with nothing",
                    results, t0);
        }
        String failure = replace ? sendReplace(council, flags, flagRows, results) : sendBatches(flags, flagRows, results);
        if (failure != null) {
            fileCode = ResultCodes.F_UPLOAD_FAILED;
            fileReason = (replace ? "replace failed, nothing changed: " : "upload stopped: ") + failure;
        } else if (results.stream().allMatch(RowResult::accepted)) {
            fileCode = ResultCodes.F_ACCEPTED;
            fileReason = replace ? "file accepted, council's flags replaced" : "file accepted";
        } else {
            fileCode = ResultCodes.F_PARTLY;
            fileReason = replace ? "file accepted with rejected rows, council's flags replaced by the accepted rows"
                    : "file accepted with rejected rows";
        }
        return finish(csv, fileCode, fileReason, results, t0);
    }

    // ------------------------------------------------------------------------------ parsing

    private String parse(BufferedReader r, String council, List<RowResult> results, List<Flag> flags, List<Integer> flagRows)
            throws IOException {
        CsvReader csv = new CsvReader(r, layout.delimiterChar());
        List<String> header = csv.next();
        if (header == null) {
            return "file is empty";
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.put(FlagCsvLayout.norm(header.get(i)), i);
        }
        Map<String, Integer> col = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : layout.columns.entrySet()) {
            Integer at = index.get(FlagCsvLayout.norm(e.getValue()));
            if (at != null) {
                col.put(e.getKey(), at);
            } else if (FlagCsvLayout.REQUIRED.contains(e.getKey())) {
                missing.add(e.getValue());
            }
        }
        if (!missing.isEmpty()) {
            return "header lacks required column(s) " + missing + " (layout mappings/" + FlagCsvLayout.FILE_NAME + ")";
        }
        List<DateTimeFormatter> formats = layout.formatters();
        Set<String> seen = new HashSet<>();
        LocalDate today = LocalDate.now(clock);
        int row = 0;
        List<String> fields;
        while ((fields = csv.next()) != null) {
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            row++;
            String localId = get(fields, col, "localId");
            String nhs = NhsNumber.normalise(get(fields, col, "nhsNumber"));
            RowResult base = new RowResult(row, csv.line(), localId, NhsNumber.mask(nhs), false, null, null);
            if (fields.size() != header.size()) {
                results.add(base.with(false, ResultCodes.R_COLUMN_COUNT,
                        "row has " + fields.size() + " fields, header has " + header.size()));
                continue;
            }
            if (localId.isEmpty()) {
                results.add(base.with(false, ResultCodes.R_LOCAL_ID_MISSING, "local id is empty"));
                continue;
            }
            if (!seen.add(localId)) {
                results.add(base.with(false, ResultCodes.R_DUPLICATE_LOCAL_ID, "local id appears earlier in the file"));
                continue;
            }
            String type = get(fields, col, "flagType");
            String code = layout.flagTypes.getOrDefault(type.toUpperCase(Locale.ROOT),
                    layout.flagTypes.containsValue(type) ? type : null);
            if (code == null) {
                results.add(base.with(false, ResultCodes.R_TYPE_UNKNOWN, "flag type '" + type + "' is not one of "
                        + layout.flagTypes.keySet()));
                continue;
            }
            LocalDate start;
            LocalDate end;
            LocalDate due;
            try {
                start = date(get(fields, col, "startDate"), formats, "start date");
                end = date(get(fields, col, "endDate"), formats, "end date");
                due = date(get(fields, col, "dueDate"), formats, "expected due date");
            } catch (IllegalArgumentException e) {
                results.add(base.with(false, ResultCodes.R_DATE_INVALID, e.getMessage()));
                continue;
            }
            Flag f = FlagStoreSeeder.flag(council, localId, nhs, code, start, end, due);
            f.setStatus(end != null && !end.isAfter(today) ? Flag.FlagStatus.INACTIVE : Flag.FlagStatus.ACTIVE);
            List<FlagRules.Problem> problems = FlagRules.check(f);
            if (!problems.isEmpty()) {
                FlagRules.Problem p = problems.get(0);
                results.add(base.with(false, p.reasonCode(), p.message()));
                continue;
            }
            results.add(base);
            flags.add(f);
            flagRows.add(results.size() - 1);
        }
        return null;
    }

    private static String get(List<String> fields, Map<String, Integer> col, String field) {
        Integer at = col.get(field);
        return at == null || at >= fields.size() ? "" : fields.get(at).trim();
    }

    private static LocalDate date(String v, List<DateTimeFormatter> formats, String what) {
        if (v.isEmpty()) {
            return null;
        }
        for (DateTimeFormatter f : formats) {
            try {
                return LocalDate.parse(v, f);
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        throw new IllegalArgumentException(what + " '" + v + "' is not a date in a format of the layout");
    }

    // ------------------------------------------------------------------------------ sending

    private static String conditionalUrl(Flag f) {
        var id = f.getIdentifierFirstRep();
        return "Flag?identifier=" + enc(id.getSystem() + "|" + id.getValue());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Batches of conditional updates; returns why the upload stopped, or null. */
    private String sendBatches(List<Flag> flags, List<Integer> flagRows, List<RowResult> results) {
        for (int from = 0; from < flags.size(); from += batchSize) {
            int to = Math.min(flags.size(), from + batchSize);
            Bundle b = new Bundle().setType(Bundle.BundleType.BATCH);
            for (int i = from; i < to; i++) {
                b.addEntry().setResource(flags.get(i)).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(conditionalUrl(flags.get(i)));
            }
            Bundle resp;
            try {
                resp = uploader.send(b);
            } catch (RuntimeException e) {
                String why = describe(e);
                for (int i = from; i < flags.size(); i++) {
                    int at = flagRows.get(i);
                    results.set(at, results.get(at).with(false, ResultCodes.R_NOT_SENT, "not stored: " + why));
                }
                return why;
            }
            for (int i = from; i < to; i++) {
                int at = flagRows.get(i);
                results.set(at, rowFromResponse(results.get(at), resp.getEntry().size() > i - from ? resp.getEntry().get(i - from) : null));
            }
        }
        return null;
    }

    /** One transaction: retire the council's flags, then put every good row. */
    private String sendReplace(String council, List<Flag> flags, List<Integer> flagRows, List<RowResult> results) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE)
                .setUrl("Flag?author:identifier=" + enc(FhirIds.ODS_CODE + "|" + council));
        for (Flag f : flags) {
            tx.addEntry().setResource(f).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(conditionalUrl(f));
        }
        Bundle resp;
        try {
            resp = uploader.send(tx);
        } catch (RuntimeException e) {
            String why = describe(e);
            for (int at : flagRows) {
                results.set(at, results.get(at).with(false, ResultCodes.R_NOT_APPLIED, "replace failed: " + why));
            }
            return why;
        }
        for (int i = 0; i < flags.size(); i++) {
            int at = flagRows.get(i);
            results.set(at, rowFromResponse(results.get(at), resp.getEntry().size() > i + 1 ? resp.getEntry().get(i + 1) : null));
        }
        return null;
    }

    private static RowResult rowFromResponse(RowResult row, Bundle.BundleEntryComponent e) {
        String status = e == null ? "" : e.getResponse().getStatus();
        if (status.startsWith("201")) {
            return row.with(true, ResultCodes.A_CREATED, "created " + e.getResponse().getLocation());
        }
        if (status.startsWith("200")) {
            return row.with(true, ResultCodes.A_UPDATED, "updated " + e.getResponse().getLocation());
        }
        String why = "store answered " + (status.isEmpty() ? "nothing" : status);
        if (e != null && e.getResponse().getOutcome() instanceof OperationOutcome oo && oo.hasIssue()) {
            why += ": " + oo.getIssueFirstRep().getDiagnostics();
        }
        return row.with(false, ResultCodes.R_STORE_REJECTED, why);
    }

    private static String describe(RuntimeException e) {
        if (e instanceof BaseServerResponseException b) {
            String msg = b.getMessage();
            if (b.getOperationOutcome() instanceof OperationOutcome oo && oo.hasIssue()) {
                msg = oo.getIssueFirstRep().getDiagnostics();
            }
            return "HTTP " + b.getStatusCode() + " " + msg;
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    // ------------------------------------------------------------------------------ result file

    private ImportReport finish(Path csv, String fileCode, String fileReason, List<RowResult> results, long t0) throws IOException {
        Path out = resultFileOf(csv);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("row,line,local_id,nhs_number,outcome,code,reason\n");
            w.write("0,,,,file," + fileCode + "," + quote(fileReason) + "\n");
            for (RowResult r : results) {
                w.write(r.row() + "," + r.line() + "," + quote(r.localId()) + "," + r.maskedNhs() + ","
                        + (r.accepted() ? "accepted" : "rejected") + "," + r.code() + "," + quote(r.reason()) + "\n");
            }
        }
        return new ImportReport(fileCode, fileReason, List.copyOf(results), out, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
