package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.sql.SQLException;

/** A database fault. The message says what the store was doing, never which patient it was about. */
public final class StoreException extends InternalErrorException {
    private StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public static StoreException of(String doing, SQLException e) {
        return new StoreException("flag store could not " + doing + " (SQLState " + e.getSQLState() + ")", e);
    }

    /** True for a unique-constraint violation, on H2 and PostgreSQL alike. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
