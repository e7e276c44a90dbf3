package io.flowhost.state.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;

/** Transactions and the small conversions every PostgreSQL store needs. */
final class Jdbc {

    /** Work done in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    private Jdbc() {}

    /** Runs {@code work} in a transaction of its own on a pooled connection: committed if it returns, else rolled back. */
    static <T> T inTransaction(DataSource pool, Work<T> work) throws SQLException {
        try (var db = pool.getConnection()) {
            db.setAutoCommit(false);
            try {
                var result = work.run(db);
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    db.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool drops it, and the first failure is the one reported
                }
                throw e;
            }
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static void setInstant(PreparedStatement st, int column, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(column, Types.BIGINT);
        } else {
            st.setLong(column, at.toEpochMilli());
        }
    }
}
