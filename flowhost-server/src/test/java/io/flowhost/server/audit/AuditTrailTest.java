package io.flowhost.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.server.observe.RequestLogSink;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    /** A sink that takes the audit trail, and says so by overriding {@code audit}. */
    private static final class Collecting implements RequestLogSink {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> audit = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String jsonLine) {
            calls.add(jsonLine);
        }

        @Override
        public void audit(String jsonLine) {
            audit.add(jsonLine);
        }
    }

    @Test
    void anEventIsOneLineInItsOwnFileInEverySinkThatTakesItAndInTheStore() throws Exception {
        var sink = new Collecting();
        var event = new AuditEvent(T, "ci", "10.0.0.7", "undeploy", "echo-v1", "ok", 200, null);
        try (var state = SqliteStateStore.open(dir.resolve("data"));
                var trail = new AuditTrail(dir.resolve("logs"), state.audit(), () -> T, List.of(sink))) {
            trail.record(event);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !trail.since(T, 10).isEmpty());
            assertThat(trail.since(T, 10)).containsExactly(event);
        }
        var line =
                "{\"time\":\"2026-12-05T10:00:00Z\",\"actor\":\"ci\",\"source\":\"10.0.0.7\",\"action\":\"undeploy\","
                        + "\"target\":\"echo-v1\",\"result\":\"ok\",\"status\":200}";
        assertThat(Files.readAllLines(dir.resolve("logs/audit.log"))).containsExactly(line);
        assertThat(sink.audit).containsExactly(line);
        assertThat(sink.calls).as("the request log's lines only").isEmpty();
    }

    @Test
    void whatIsQueuedWhenItClosesIsWrittenAndAStoreThatFailsLosesNothingFromTheFile() throws Exception {
        var state = SqliteStateStore.open(dir.resolve("data"));
        state.close(); // every write to the store now fails
        try (var trail = new AuditTrail(dir.resolve("logs"), state.audit(), () -> T, List.of())) {
            for (int i = 0; i < 100; i++) {
                trail.record(new AuditEvent(T, null, null, "GET /v1/status", "/v1/status", "refused", 401, "no token"));
            }
        }
        assertThat(Files.readAllLines(dir.resolve("logs/audit.log"))).hasSize(100);
    }
}
