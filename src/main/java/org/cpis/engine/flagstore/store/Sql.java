package org.cpis.engine.flagstore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Small JDBC helpers over the session's cached statements (never close what they return). */
final class Sql {
    private Sql() {
    }

    static PreparedStatement prepare(Session s, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = s.statement(sql, false);
        bind(ps, params);
        return ps;
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** Runs an INSERT and returns the generated id. */
    static long insert(Session s, String sql, Object... params) throws SQLException {
        PreparedStatement ps = s.statement(sql, true);
        bind(ps, Arrays.asList(params));
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int update(Session s, String sql, Object... params) throws SQLException {
        PreparedStatement ps = s.statement(sql, false);
        bind(ps, Arrays.asList(params));
        return ps.executeUpdate();
    }

    static Long queryLong(Session s, String sql, Object... params) throws SQLException {
        PreparedStatement ps = s.statement(sql, false);
        bind(ps, Arrays.asList(params));
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    static String queryString(Session s, String sql, Object... params) throws SQLException {
        PreparedStatement ps = s.statement(sql, false);
        bind(ps, Arrays.asList(params));
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
