package org.cpis.engine.bench;

import java.nio.file.Path;

/**
 * What a target gets when it starts.
 *
 * @param workDir         a fresh folder under target/bench/ the target may write in
 * @param workload        the workload (its {@link Workload#flags()} are what to preload)
 * @param councilEndpoint base URL of the bench's council receiver; a notifying target delivers
 *                        every council's FHIR message to {@code councilEndpoint + "/$process-message"}
 */
public record BenchContext(Path workDir, Workload workload, String councilEndpoint) {
}
