package org.cpis.engine.lookup;

import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;

/**
 * A visible flag found for an attendance.
 *
 * @param flagId versionless logical id, e.g. {@code Flag/123}; stable across flag updates
 * @param kind flag kind
 * @param councilOds ODS code of the responsible council (from Flag.author), or null if the flag names none
 * @param councilName council name from the included Organization or the author display, or null
 * @param flag the Flag resource as the store returned it; null only for a cancellation of a flag no longer returned
 * @param council the author Organization if the store included it, else null
 */
public record FlagMatch(String flagId, FlagKind kind, String councilOds, String councilName, Flag flag,
        Organization council) {
}
