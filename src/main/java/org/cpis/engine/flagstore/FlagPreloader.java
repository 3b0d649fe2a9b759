package org.cpis.engine.flagstore;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.fhir.BundleProcessor;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a plain CSV of flags ({@code nhs_number,flag_code,start_date,end_date,council_ods}) into the
 * embedded store before intake opens: the benchmark's 150,000 flags ({@code cpis.flags.preload-file}).
 * Batches of conditional updates on each flag's own identifier, so loading twice changes nothing.
 */
public final class FlagPreloader {
    private static final Logger LOG = LoggerFactory.getLogger(FlagPreloader.class);
    private static final int BATCH = 1000;

    private FlagPreloader() {
    }

    /** Returns the number of rows loaded. */
    public static int load(Path csv, BundleProcessor processor) throws IOException {
        long t0 = System.nanoTime();
        int rows = 0;
        Bundle batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.trim().startsWith("nhs_number,flag_code,start_date,end_date,council_ods")) {
                throw new IOException(csv + ":1: expected header nhs_number,flag_code,start_date,end_date,council_ods");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length < 5) {
                    throw new IOException(csv + ":" + lineNo + ": expected 5 columns, found " + f.length);
                }
                String ods = f[4].trim();
                Flag flag = FlagStoreSeeder.flag(ods, "preload-" + lineNo, f[0].trim(), f[1].trim(), date(f[2]), date(f[3]), null);
                String url = "Flag?identifier=" + URLEncoder.encode(FhirIds.councilFlagIdSystem(ods) + "|preload-" + lineNo,
                        StandardCharsets.UTF_8);
                batch.addEntry().setResource(flag).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
                rows++;
                if (batch.getEntry().size() == BATCH) {
                    send(batch, processor);
                    batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                }
            }
        }
        if (!batch.getEntry().isEmpty()) {
            send(batch, processor);
        }
        LOG.info("Preloaded {} flags in {} ms", rows, (System.nanoTime() - t0) / 1_000_000);
        return rows;
    }

    private static void send(Bundle batch, BundleProcessor processor) throws IOException {
        Bundle answer = processor.process(batch, Caller.ADMIN, "preload");
        long failed = answer.getEntry().stream()
                .filter(e -> e.hasResponse() && !e.getResponse().getStatus().startsWith("2")).count();
        if (failed > 0) {
            throw new IOException("flag preload: " + failed + " of " + batch.getEntry().size() + " rows refused by the store");
        }
    }

    private static LocalDate date(String s) {
        String t = s.trim();
        return t.isEmpty() ? null : LocalDate.parse(t);
    }
}
