package io.flowhost.state.sqlite;

import io.flowhost.state.Leadership;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.LeaseRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The control loops' lease in {@code flowhost.db}: two servers started on one data dir find each other here. The
 * decision runs in a {@code BEGIN IMMEDIATE} transaction, which takes the file's write lock first, so two
 * processes asking at once cannot both read the lease free and both take it.
 */
final class SqliteLeadership implements Leadership, AutoCloseable {

    private static final String ENSURE =
            "INSERT OR IGNORE INTO leadership (name, holder, term, lease_until) VALUES (?, '', 0, 0)";
    private static final String READ = "SELECT holder, term, lease_until FROM leadership WHERE name = ?";

    private final Connection db;
    private final Path file;

    private SqliteLeadership(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    static SqliteLeadership open(Path file) {
        try {
            return new SqliteLeadership(FlowhostDb.open(file), file);
        } catch (SQLException e) {
            throw new StoreException("cannot open the leadership lease in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<Term> lead(String holder, Duration lease, Instant now) {
        try (var st = db.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                LeaseRows.ensureRow(db, ENSURE);
                var term = LeaseRows.lead(db, READ, holder, lease, now);
                st.execute("COMMIT");
                return term;
            } catch (SQLException | RuntimeException e) {
                st.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot renew the leadership lease in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<Term> leader(Instant now) {
        try {
            return LeaseRows.leader(db, now);
        } catch (SQLException e) {
            throw new StoreException("cannot read the leadership lease in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void resign(String holder) {
        try {
            LeaseRows.resign(db, holder);
        } catch (SQLException e) {
            throw new StoreException("cannot resign the leadership lease in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
