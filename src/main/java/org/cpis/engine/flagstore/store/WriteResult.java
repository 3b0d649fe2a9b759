package org.cpis.engine.flagstore.store;

import org.hl7.fhir.r4.model.Resource;

/** The outcome of one write: the resource as stored (with id and version) and whether it was new. */
public record WriteResult(Resource resource, boolean created) {
}
