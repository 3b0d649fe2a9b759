package org.cpis.engine.flagstore.store;

import java.time.OffsetDateTime;

/** The columns of one {@code fs_flag} row that access checks and writes need. */
record FlagRow(long id, int version, OffsetDateTime lastUpdated, String councilOds, long orgId, String status, String json) {
}
