package org.cpis.engine.flagstore.auth;

import java.util.Objects;

/** Who is calling the flag store: an admin, the engine's lookup stage, or one council (by ODS code). */
public record Caller(Role role, String ods) {

    public enum Role { ADMIN, LOOKUP, COUNCIL }

    public static final Caller ADMIN = new Caller(Role.ADMIN, null);
    public static final Caller LOOKUP = new Caller(Role.LOOKUP, null);

    public Caller {
        Objects.requireNonNull(role, "role");
        if (role == Role.COUNCIL && (ods == null || ods.isBlank())) {
            throw new IllegalArgumentException("a council caller needs an ODS code");
        }
    }

    public static Caller council(String ods) {
        return new Caller(Role.COUNCIL, ods.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** Parses a role as written in the tokens file: admin | lookup | council:ODS. */
    public static Caller parse(String role) {
        String r = role.trim();
        if (r.equalsIgnoreCase("admin")) {
            return ADMIN;
        }
        if (r.equalsIgnoreCase("lookup")) {
            return LOOKUP;
        }
        if (r.regionMatches(true, 0, "council:", 0, 8) && r.length() > 8) {
            return council(r.substring(8));
        }
        throw new IllegalArgumentException("unknown role '" + r + "' (expected admin, lookup or council:<ODS>)");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isCouncil() {
        return role == Role.COUNCIL;
    }

    /** May read flags (and their audit) of this council. */
    public boolean mayRead(String councilOds) {
        return role != Role.COUNCIL || ods.equalsIgnoreCase(councilOds);
    }

    /** May create, change or delete flags of this council. */
    public boolean mayWrite(String councilOds) {
        return role == Role.ADMIN || (role == Role.COUNCIL && ods.equalsIgnoreCase(councilOds));
    }

    /** How the caller appears in audit records. */
    public String roleName() {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return role == Role.COUNCIL ? "council:" + ods : roleName();
    }
}
