package io.flowhost.state.internal;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.Rate;
import io.flowhost.domain.access.Scope;
import io.flowhost.state.TokenNameTakenException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tokens as rows of the {@code tokens} table, the same in any SQL store. */
public final class TokenRows {

    private static final String COLUMNS = "name, scope, sha256, created_at, expires_at, rate, burst";

    private TokenRows() {}

    /** Inserts a token; a name kept already is refused, also when another gateway inserted it a moment before. */
    public static void add(Connection db, ApiToken token) throws SQLException {
        if (exists(db, token.name())) {
            throw new TokenNameTakenException(token.name());
        }
        try (var st = db.prepareStatement("INSERT INTO tokens (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
            st.setString(1, token.name());
            st.setString(2, token.scope().toString());
            st.setString(3, token.sha256());
            st.setLong(4, token.createdAt().toEpochMilli());
            if (token.expiresAt() == null) {
                st.setNull(5, Types.BIGINT);
            } else {
                st.setLong(5, token.expiresAt().toEpochMilli());
            }
            if (token.rate() == null) {
                st.setNull(6, Types.DOUBLE);
                st.setNull(7, Types.INTEGER);
            } else {
                st.setDouble(6, token.rate().perSecond());
                st.setInt(7, token.rate().burst());
            }
            st.executeUpdate();
        } catch (SQLException e) {
            if (exists(db, token.name())) {
                throw new TokenNameTakenException(token.name());
            }
            throw e;
        }
    }

    public static Optional<ApiToken> bySha256(Connection db, String sha256) throws SQLException {
        try (var st = db.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE sha256 = ?")) {
            st.setString(1, sha256);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static List<ApiToken> list(Connection db) throws SQLException {
        try (var st = db.createStatement();
                var rs = st.executeQuery("SELECT " + COLUMNS + " FROM tokens ORDER BY name")) {
            var out = new ArrayList<ApiToken>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        }
    }

    public static boolean revoke(Connection db, String name) throws SQLException {
        try (var st = db.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
            st.setString(1, name);
            return st.executeUpdate() > 0;
        }
    }

    private static boolean exists(Connection db, String name) throws SQLException {
        try (var st = db.prepareStatement("SELECT 1 FROM tokens WHERE name = ?")) {
            st.setString(1, name);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        long expires = rs.getLong(5);
        var expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        double perSecond = rs.getDouble(6);
        var rate = rs.wasNull() ? null : new Rate(perSecond, rs.getInt(7));
        return new ApiToken(
                rs.getString(1),
                Scope.parse(rs.getString(2)),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                expiresAt,
                rate);
    }
}
