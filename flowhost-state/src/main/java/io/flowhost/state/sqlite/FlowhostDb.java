package io.flowhost.state.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;

/** Opens {@code flowhost.db}, the deployments and the alert states, migrated to this version's schema. */
final class FlowhostDb {

    private FlowhostDb() {}

    /** A connection to the file (WAL, {@code synchronous=FULL}), its schema brought up to date first. */
    static Connection open(Path file) throws SQLException {
        var db = Schema.connect(file);
        try {
            try (var st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA busy_timeout=5000");
            }
            Migrations.migrate(db, file, "flowhost", "deployments", FlowhostDb::upgradeUnversioned);
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** What versions before Flyway did on every open: the tables if missing, and the columns added since. */
    private static void upgradeUnversioned(Statement st) throws SQLException {
        st.execute("""
                CREATE TABLE IF NOT EXISTS alert_states (
                  rule TEXT NOT NULL,
                  service TEXT NOT NULL,
                  state TEXT NOT NULL,
                  value REAL,
                  active_since INTEGER,
                  firing_since INTEGER,
                  resolved_at INTEGER,
                  PRIMARY KEY (rule, service))""");
        var columns = new HashSet<String>();
        try (var rs = st.executeQuery("PRAGMA table_info(deployments)")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        if (!columns.contains("pins")) {
            st.execute("ALTER TABLE deployments ADD COLUMN pins TEXT NOT NULL DEFAULT '{}'");
        }
        if (!columns.contains("model")) {
            st.execute("ALTER TABLE deployments ADD COLUMN model TEXT");
        }
        if (!columns.contains("scaling")) {
            st.execute("ALTER TABLE deployments ADD COLUMN scaling TEXT NOT NULL DEFAULT '{}'");
        }
        if (!columns.contains("retention")) {
            st.execute("ALTER TABLE deployments ADD COLUMN retention TEXT NOT NULL DEFAULT '{}'");
        }
    }
}
