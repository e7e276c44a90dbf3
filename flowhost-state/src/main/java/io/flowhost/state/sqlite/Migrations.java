package io.flowhost.state.sqlite;

import io.flowhost.state.internal.SchemaMigrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * Brings an SQLite file's schema to this version's with Flyway ({@code db/sqlite/<name>/V*.sql}), the same story
 * as PostgreSQL's. A file from before Flyway (no {@code flyway_schema_history}) is first brought to version 1 by
 * the code that made it, which added what it lacked on every open, and then baselined at version 1.
 */
final class Migrations {

    /** What versions before Flyway ran on every open, to bring an unversioned file to version 1. */
    @FunctionalInterface
    interface Unversioned {
        void upgrade(Statement st) throws SQLException;
    }

    private Migrations() {}

    /**
     * @param db        a connection to the file, for the check and the unversioned upgrade
     * @param file      the file, for Flyway's own connection
     * @param name      the migrations' folder under {@code db/sqlite/}
     * @param table     a table that every unversioned file has
     * @param upgrade   what brings an unversioned file to version 1
     */
    static void migrate(Connection db, Path file, String name, String table, Unversioned upgrade) throws SQLException {
        if (!hasTable(db, "flyway_schema_history") && hasTable(db, table)) {
            try (var st = db.createStatement()) {
                upgrade.upgrade(st);
            }
        }
        SchemaMigrations.migrate(
                Flyway.configure()
                        .dataSource("jdbc:sqlite:" + file.toAbsolutePath(), null, null)
                        .locations("classpath:db/sqlite/" + name)
                        .failOnMissingLocations(true)
                        .baselineOnMigrate(true)
                        .baselineVersion("1"),
                file.toString());
    }

    private static boolean hasTable(Connection db, String table) throws SQLException {
        try (var st = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            st.setString(1, table);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
