package io.flowhost.server;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gateways on one PostgreSQL database of the test's own, each with a data dir of its own under one temporary
 * folder, as gateways on several hosts would be; every gateway still running is closed after the test.
 */
final class SharedStateGateways implements BeforeEachCallback, AfterEachCallback {

    private final List<FlowhostServer> started = new ArrayList<>();
    private PostgresUrl url;
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        url = PostgresUrl.parse(TestPostgres.shared().newDatabase());
        dir = Files.createTempDirectory("flowhost-gateways-");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        started.reversed().forEach(FlowhostServer::close);
        started.clear();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts a gateway named {@code name} with the test defaults on this database. */
    FlowhostServer start(String name) {
        return start(name, UnaryOperator.identity());
    }

    /** Starts a gateway named {@code name}, its settings (the test defaults on this database) changed by {@code more}. */
    FlowhostServer start(String name, UnaryOperator<ServerSettings> more) {
        var gateway = FlowhostServer.start(
                more.apply(TestSettings.defaults(dir.resolve(name)).withState(url)));
        started.add(gateway);
        return gateway;
    }

    /** Stops a gateway as a shutdown would. */
    void stop(FlowhostServer gateway) {
        started.remove(gateway);
        gateway.close();
    }

    /** Where a file of the test's own goes (beside the gateways' data dirs). */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** A gateway's own copy of the jar of this SHA-256, whether it exists or not. */
    Path jarCopy(String gateway, String sha256) {
        return dir.resolve(gateway).resolve("jars").resolve(sha256 + ".jar");
    }

    /** Runs a statement on the database, as an operator (or a fault) would behind the gateways' backs. */
    void sql(String statement) {
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row a query answers, as a long. */
    long queryLong(String query) {
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.createStatement();
                var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /** The current leader's holder name, as a gateway's status reports it ("" when none leads). */
    static String leader(Http via) {
        return Http.json(via.get("/v1/status")).path("leader").path("holder").asText();
    }
}
