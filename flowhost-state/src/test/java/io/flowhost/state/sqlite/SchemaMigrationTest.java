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
        }

        try (var store = SqliteRequestStore.open(file)) {
            assertThat(columns(file)).contains("traceparent", "tracestate");
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

    private static List<String> columns(Path file) throws SQLException {
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file);
                var st = db.createStatement();
                var rs = st.executeQuery("PRAGMA table_info(requests)")) {
            var names = new ArrayList<String>();
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
            return names;
        }
    }
}
