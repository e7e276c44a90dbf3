package io.flowhost.state.internal;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Flyway for a store and says in one line what changed, if anything: Flyway's own log (eight lines on every
 * start, most saying nothing happened) is kept to its warnings.
 */
public final class SchemaMigrations {

    private static final System.Logger LOG = System.getLogger("flowhost.state");
    /** Held, so that the level stays set: java.util.logging keeps loggers only while someone refers to them. */
    private static final Logger FLYWAY = Logger.getLogger("org.flywaydb");

    static {
        FLYWAY.setLevel(Level.WARNING);
    }

    private SchemaMigrations() {}

    /** Migrates what {@code config} names to its latest version; {@code what} names the database in the log. */
    public static MigrateResult migrate(FluentConfiguration config, String what) {
        var result = config.load().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    what + ": schema migrated from version "
                            + (result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion) + " to "
                            + result.targetSchemaVersion);
        }
        return result;
    }
}
