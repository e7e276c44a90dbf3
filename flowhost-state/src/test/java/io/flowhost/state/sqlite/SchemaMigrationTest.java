package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.TraceContext;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A requests database that a previous version wrote opens, keeps its requests, and gains the columns added since. */
class SchemaMigrationTest {

    /** The table as versions before trace contexts created it (its indexes come with the open). */
    private static final String BEFORE_TRACES = """
            CREATE TABLE requests (
              seq INTEGER PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              deployment_id TEXT NOT NULL,
              service TEXT NOT NULL,
              endpoint TEXT NOT NULL,
              content_type TEXT,
              body BLOB NOT NULL,
              request_id TEXT NOT NULL,
              idempotency_key TEXT,
              callback_url TEXT,
              state TEXT NOT NULL,
              accepted_at INTEGER NOT NULL,
              started_at INTEGER,
              finished_at INTEGER,
              expires_at INTEGER NOT NULL,
              result_ttl_ms INTEGER NOT NULL,
              attempts INTEGER NOT NULL,
              max_attempts INTEGER NOT NULL,
              lease_holder TEXT,
              lease_until INTEGER,
              result_status INTEGER,
              result_content_type TEXT,
              result_body BLOB,
              error TEXT)""";

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDatabaseFromBeforeTracesGainsTheTraceColumnsAndItsQueuedRequestStillRuns() throws SQLException {
        var file = dir.resolve("requests.db");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement()) {
            st.execute(BEFORE_TRACES);
            st.execute("INSERT INTO requests (id, deployment_id, service, endpoint, content_type, body, request_id,"
                    + " state, accepted_at, expires_at, result_ttl_ms, attempts, max_attempts) VALUES ('old-request',"
                    + " 'echo-v1', 'echo', 'echo', 'application/json', X'7B7D', 'req-1', 'QUEUED', "
                    + NOW.toEpochMilli() + ", " + NOW.plusSeconds(3600).toEpochMilli() + ", 3600000, 0, 3)");
            st.execute("INSERT INTO requests (id, deployment_id, service, endpoint, content_type, body, request_id,"
                    + " callback_url, state, accepted_at, finished_at, expires_at, result_ttl_ms, attempts,"
                    + " max_attempts) VALUES ('old-answered', 'echo-v1', 'echo', 'echo', 'application/json', X'7B7D',"
                    + " 'req-0', 'http://127.0.0.1:9/done', 'SUCCEEDED', "
                    + NOW.minusSeconds(60).toEpochMilli()
                    + ", " + NOW.minusSeconds(59).toEpochMilli() + ", "
                    + NOW.plusSeconds(3600).toEpochMilli()
                    + ", 3600000, 1, 3)");
        }

        try (var store = SqliteRequestStore.open(file)) {
            assertThat(columns(file)).contains("traceparent", "tracestate", "fingerprint", "callback_settled_at");
            assertThat(history(file)).containsExactly("1 BASELINE", "2 SQL", "3 SQL");
            assertThat(indexes(file))
                    .as("V2: the queue's index holds queued requests only")
                    .contains("requests_queued", "requests_callbacks_owed")
                    .doesNotContain("requests_queue_order");
            assertThat(store.callbacksOwed(NOW, 10))
                    .as("V3: a callback of a request finished before it was sent then, or lost with its server")
                    .isEmpty();
            var old = store.lease("echo-v1", "w", Duration.ofMinutes(1), NOW).orElseThrow();
            assertThat(old.id()).isEqualTo("old-request");
            assertThat(old.trace()).isNull();

            var trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE");
            var traced = store.submit(
                            new NewRequest("echo-v1", "echo", "echo", null, new byte[0], "req-2", null, null, trace),
                            Retention.defaults(),
                            NOW)
                    .join()
                    .request();
            assertThat(store.get(traced.id()).orElseThrow().trace()).isEqualTo(trace);
        }
        try (var again = SqliteRequestStore.open(file)) {
            assertThat(again.get("old-request")).isPresent(); // opening a migrated file again changes nothing
        }
    }

    @Test
    void aKeyedRequestFromBeforeFingerprintsIsReplayedForTheSameCallAndRefusedForAnother() throws SQLException {
        var file = dir.resolve("requests.db");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement()) {
            st.execute(BEFORE_TRACES);
            st.execute("INSERT INTO requests (id, deployment_id, service, endpoint, content_type, body, request_id,"
                    + " idempotency_key, state, accepted_at, expires_at, result_ttl_ms, attempts, max_attempts) VALUES"
                    + " ('old-keyed', 'echo-v1', 'echo', 'echo', 'application/json', X'7B7D', 'req-1', 'order-7',"
                    + " 'QUEUED', " + NOW.toEpochMilli() + ", "
                    + NOW.plusSeconds(3600).toEpochMilli()
                    + ", 3600000, 0, 3)");
        }

        try (var store = SqliteRequestStore.open(file)) {
            assertThat(columns(file)).contains("fingerprint");
            var sameCall = new NewRequest(
                    "echo-v1", "echo", "echo", "application/json", "{}".getBytes(), "req-2", "order-7", null);
            var again = store.submit(sameCall, Retention.defaults(), NOW).join();
            assertThat(again.duplicate()).isTrue();
            assertThat(again.request().id()).isEqualTo("old-keyed");

            var otherBody = new NewRequest(
                    "echo-v1", "echo", "echo", "application/json", "{\"x\":1}".getBytes(), "req-3", "order-7", null);
            assertThat(store.submit(otherBody, Retention.defaults(), NOW))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(IdempotencyKeyReusedException.class);
        }
    }

    /** deployments as the first release created it, before pins, models, scaling and retention. */
    private static final String FIRST_DEPLOYMENTS = """
            CREATE TABLE deployments (
              id TEXT PRIMARY KEY,
              service TEXT NOT NULL,
              version INTEGER NOT NULL,
              jar_sha256 TEXT NOT NULL,
              jar_path TEXT NOT NULL,
              descriptor TEXT NOT NULL,
              settings TEXT NOT NULL,
              state TEXT NOT NULL,
              created_at TEXT NOT NULL,
              UNIQUE (service, version))""";

    @Test
    void aFlowhostDbFromBeforeVersionedSchemasGainsItsColumnsAndIsBaselinedAtVersionOne() throws SQLException {
        var file = dir.resolve("flowhost.db");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement()) {
            st.execute(FIRST_DEPLOYMENTS);
            st.execute("INSERT INTO deployments (id, service, version, jar_sha256, jar_path, descriptor, settings,"
                    + " state, created_at) VALUES ('echo-v1', 'echo', 1, 'abc', '/jars/echo.jar',"
                    + " '{\"service\":\"echo\",\"className\":\"Echo\",\"endpoints\":[]}', '{}', 'ACTIVE',"
                    + " '2026-11-01T10:00:00Z')");
        }

        try (var store = SqliteDeploymentStore.open(file)) {
            assertThat(store.active()).extracting(d -> d.id()).containsExactly("echo-v1");
            assertThat(store.active().getFirst().pins()).isEmpty();
            assertThat(store.active().getFirst().descriptor().service()).isEqualTo("echo");
        }
        assertThat(columns(file, "deployments")).contains("pins", "model", "scaling", "retention", "access");
        assertThat(columns(file, "alert_states")).contains("rule", "firing_since");
        // baselined at 1, then the migrations since applied as to any file at version 1
        assertThat(history(file))
                .containsExactly("1 BASELINE", "2 SQL", "3 SQL", "4 SQL", "5 SQL", "6 SQL", "7 SQL", "8 SQL");
        assertThat(columns(file, "leadership")).contains("holder", "term", "lease_until");
    }

    @Test
    void aNewDataDirGetsEveryMigrationAndOpeningItAgainRunsNone() throws SQLException {
        try (var store = SqliteStateStore.open(dir)) {
            assertThat(store.deployments().all()).isEmpty();
        }
        try (var again = SqliteStateStore.open(dir)) {
            assertThat(again.requests().queued("any")).isZero();
        }
        assertThat(history(dir.resolve("requests.db"))).containsExactly("1 SQL", "2 SQL", "3 SQL");
        assertThat(history(dir.resolve("flowhost.db")))
                .containsExactly("1 SQL", "2 SQL", "3 SQL", "4 SQL", "5 SQL", "6 SQL", "7 SQL", "8 SQL");
    }

    /** Flyway's record of the file: "version type" per migration applied. */
    private static List<String> history(Path file) throws SQLException {
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement();
                var rs = st.executeQuery(
                        "SELECT version, type FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
            return out;
        }
    }

    private static List<String> indexes(Path file) throws SQLException {
        return strings(file, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests'");
    }

    private static List<String> columns(Path file) throws SQLException {
        return columns(file, "requests");
    }

    private static List<String> columns(Path file, String table) throws SQLException {
        return strings(file, "SELECT name FROM pragma_table_info('" + table + "')");
    }

    /** The first column of every row the query returns. */
    private static List<String> strings(Path file, String query) throws SQLException {
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement();
                var rs = st.executeQuery(query)) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
