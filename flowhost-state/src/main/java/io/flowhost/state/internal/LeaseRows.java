package io.flowhost.state.internal;

import io.flowhost.state.Leadership;
import io.flowhost.state.Leadership.Term;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The leadership lease as a row of the {@code leadership} table, decided the same way in any SQL store. Call inside
 * a transaction that holds the row (PostgreSQL: after {@link #ensureRow}, {@code FOR UPDATE}; SQLite: its one
 * writer), so that two servers asking at once cannot both win.
 */
public final class LeaseRows {

    /** The one lease there is: the control loops'. */
    public static final String NAME = "control";

    private LeaseRows() {}

    /** Makes sure the row exists (an empty lease, ended long ago), so that it can be locked. */
    public static void ensureRow(Connection db, String insertIgnoringConflict) throws SQLException {
        try (var st = db.prepareStatement(insertIgnoringConflict)) {
            st.setString(1, NAME);
            st.executeUpdate();
        }
    }

    /** The decision of {@link Leadership#lead}, given the row as read (locked) in {@code select}. */
    public static Optional<Term> lead(Connection db, String select, String holder, Duration lease, Instant now)
            throws SQLException {
        String current;
        long term;
        long until;
        try (var st = db.prepareStatement(select)) {
            st.setString(1, NAME);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the leadership row is missing");
                }
                current = rs.getString(1);
                term = rs.getLong(2);
                until = rs.getLong(3);
            }
        }
        long nowMillis = now.toEpochMilli();
        boolean mine = current.equals(holder);
        if (!mine && until > nowMillis) {
            return Optional.empty();
        }
        long next = mine ? term : term + 1;
        long newUntil = now.plus(lease).toEpochMilli();
        try (var st =
                db.prepareStatement("UPDATE leadership SET holder = ?, term = ?, lease_until = ? WHERE name = ?")) {
            st.setString(1, holder);
            st.setLong(2, next);
            st.setLong(3, newUntil);
            st.setString(4, NAME);
            st.executeUpdate();
        }
        return Optional.of(new Term(holder, next, Instant.ofEpochMilli(newUntil)));
    }

    /** The leader at {@code now}, if a lease runs. */
    public static Optional<Term> leader(Connection db, Instant now) throws SQLException {
        try (var st = db.prepareStatement("SELECT holder, term, lease_until FROM leadership WHERE name = ?")) {
            st.setString(1, NAME);
            try (var rs = st.executeQuery()) {
                if (!rs.next()
                        || rs.getLong(3) <= now.toEpochMilli()
                        || rs.getString(1).isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new Term(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        }
    }

    /** Ends the holder's lease, keeping its term (the next holder's is one higher). */
    public static void resign(Connection db, String holder) throws SQLException {
        try (var st = db.prepareStatement("UPDATE leadership SET lease_until = 0 WHERE name = ? AND holder = ?")) {
            st.setString(1, NAME);
            st.setString(2, holder);
            st.executeUpdate();
        }
    }
}
