package io.flowhost.state.postgres;

import io.flowhost.domain.state.StateUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.function.BiFunction;
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

    /**
     * A failure as a store's callers see it: {@link StateUnavailableException} when the database cannot be reached
     * (refused, lost, shutting down, or no pooled connection within the timeout), so that callers answer 503 and try
     * again; else what {@code otherwise} makes of it.
     */
    static RuntimeException failure(
            String what, SQLException e, BiFunction<String, SQLException, RuntimeException> otherwise) {
        if (unreachable(e)) {
            return new StateUnavailableException(
                    "the state database cannot be reached (" + e.getMessage() + "); try again shortly", e);
        }
        return otherwise.apply(what + ": " + e.getMessage(), e);
    }

    /** Whether the failure says the database is out of reach, rather than that a statement failed. */
    static boolean unreachable(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true; // the pool found no connection within its timeout
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                var state = s.getSQLState();
                // 08: connection exceptions; 57P01-03: the server shuts down, crashed, or cannot take connections yet
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
