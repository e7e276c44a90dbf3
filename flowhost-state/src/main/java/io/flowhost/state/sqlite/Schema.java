package io.flowhost.state.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;

/**
 * Opens connections to the requests database: one writer, which first brings the schema up to date
 * ({@code db/sqlite/requests/V*.sql}), and readers.
 */
final class Schema {

    private Schema() {}

    /**
     * The one connection that writes. WAL lets readers run beside it; {@code synchronous=FULL} fsyncs the WAL on
     * every commit, so a committed (acknowledged) request survives a crash of the process and of the machine, until
     * {@link #flushOffTheWriter} moves that flush to a thread of its own.
     */
    static Connection openWriter(Path file) throws SQLException {
        var db = connect(file);
        try (var st = db.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
            // After a checkpoint the WAL is cut back to this size instead of keeping its largest size on disk.
            st.execute("PRAGMA journal_size_limit=67108864");
        }
        Migrations.migrate(db, file, "requests", "requests", Schema::upgradeUnversioned);
        db.setAutoCommit(false);
        return db;
    }

    /**
     * Lets the writer commit without waiting for the disk ({@code synchronous=NORMAL}) and returns what flushes its
     * WAL instead, off its thread ({@link WalSync}); a database that could not enter WAL mode stays as it was, each
     * commit flushed by SQLite itself.
     */
    static WalSync flushOffTheWriter(Connection writer, Path file) throws SQLException {
        try (var st = writer.createStatement();
                var rs = st.executeQuery("PRAGMA journal_mode")) {
            if (!rs.next() || !rs.getString(1).equalsIgnoreCase("wal")) {
                return WalSync.with(() -> {});
            }
        }
        writer.setAutoCommit(true); // the safety level cannot change inside a transaction
        try (var st = writer.createStatement()) {
            st.execute("PRAGMA synchronous=NORMAL");
        } finally {
            writer.setAutoCommit(false);
        }
        return WalSync.of(Path.of(file.toAbsolutePath() + "-wal"));
    }

    /** A connection that only reads: each query sees the latest commit, without waiting for the writer. */
    static Connection openReader(Path file) throws SQLException {
        var db = connect(file);
        try (var st = db.createStatement()) {
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("PRAGMA query_only=1");
        }
        return db;
    }

    /**
     * A connection to the file. Without the driver's generated keys, which nothing here reads: it would otherwise
     * prepare and run a {@code SELECT last_insert_rowid()} after every insert, on the writer's thread.
     */
    static Connection connect(Path file) throws SQLException {
        var properties = new Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
    }

    /** What versions before Flyway did on every open: the columns and indexes added since the first release. */
    private static void upgradeUnversioned(Statement st) throws SQLException {
        addMissingColumns(st);
        // lease (oldest queued of a deployment), the depth counters rebuilt on open, deploymentsWithQueued
        // The queue order itself (accepted_at, then seq): leasing walks this index from its head, so taking the
        // oldest request costs the same with 10 or 100,000 queued. (An index without seq could not give the order,
        // and SQLite then sorted every queued row on each lease.)
        st.execute("DROP INDEX IF EXISTS requests_queue");
        st.execute(
                "CREATE INDEX IF NOT EXISTS requests_queue_order ON requests (state, deployment_id, accepted_at, seq)");
        // the sweep (queued past their TTL, finished past theirs) and expired leases (few RUNNING rows to filter)
        st.execute("CREATE INDEX IF NOT EXISTS requests_expiry ON requests (state, expires_at)");
        // A key names one request whatever it calls (its fingerprint tells a retry from another request), so it is
        // looked up alone; the earlier index, by service and endpoint first, could not serve that.
        st.execute("DROP INDEX IF EXISTS requests_idempotency");
        st.execute("CREATE INDEX IF NOT EXISTS requests_idempotency_key ON requests (idempotency_key)"
                + " WHERE idempotency_key IS NOT NULL");
        st.execute("CREATE INDEX IF NOT EXISTS requests_by_service ON requests (service, accepted_at)");
    }

    /** Columns added since the first release, for a requests database that a previous version created. */
    private static void addMissingColumns(Statement st) throws SQLException {
        var columns = new HashSet<String>();
        try (var rs = st.executeQuery("PRAGMA table_info(requests)")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        // the caller's W3C trace context, so that a run joins the trace it was accepted in
        if (!columns.contains("traceparent")) {
            st.execute("ALTER TABLE requests ADD COLUMN traceparent TEXT");
        }
        if (!columns.contains("tracestate")) {
            st.execute("ALTER TABLE requests ADD COLUMN tracestate TEXT");
        }
        // what an idempotency key is bound to; NULL in rows from before, whose fingerprint is computed when needed
        if (!columns.contains("fingerprint")) {
            st.execute("ALTER TABLE requests ADD COLUMN fingerprint TEXT");
        }
    }
}
