package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.gateway.observe.CallRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CallRecord call(String requestId, int status) {
        var call = new CallRecord();
        call.target("echo", "echo-v1", "canary", "EchoFlow/7", "echo");
        call.ids(requestId, "0af7651916cd43dd8448eb211c80319c");
        call.bytesIn(24);
        call.held(2_500_000, true);
        call.sentTo("echo-v1-1");
        call.instanceAnswered();
        call.answered(status, 31);
        return call;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        var out = new ArrayList<JsonNode>();
        for (var line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void writesOneJsonLinePerCallWithEveryField() throws Exception {
        var sink = new CopyOnWriteArrayList<String>();
        var call = call("r-1", 503);
        try (var log = new RequestLog(dir, 1 << 20, 3, List.of(sink::add))) {
            log.record(call);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 1);
        }
        var lines = read(dir.resolve("requests.log"));
        assertThat(lines).hasSize(1);
        var line = lines.get(0);
        assertThat(Instant.parse(line.get("time").asText()))
                .isEqualTo(call.time().truncatedTo(ChronoUnit.MILLIS));
        assertThat(line.get("time").asText()).hasSize(24).endsWith("Z");
        assertThat(line.get("requestId").asText()).isEqualTo("r-1");
        assertThat(line.get("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(line.get("service").asText()).isEqualTo("echo");
        assertThat(line.get("deployment").asText()).isEqualTo("echo-v1");
        assertThat(line.get("variant").asText()).isEqualTo("canary");
        assertThat(line.get("run").asText()).isEqualTo("EchoFlow/7");
        assertThat(line.get("endpoint").asText()).isEqualTo("echo");
        assertThat(line.get("mode").asText()).isEqualTo("sync");
        assertThat(line.get("status").asInt()).isEqualTo(503);
        assertThat(line.get("heldMs").asDouble()).isEqualTo(2.5);
        assertThat(line.get("totalMs").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(line.get("instanceMs").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(line.has("queuedMs")).isFalse();
        assertThat(line.get("instance").asText()).isEqualTo("echo-v1-1");
        assertThat(line.get("coldStart").asBoolean()).isTrue();
        assertThat(line.get("bytesIn").asLong()).isEqualTo(24);
        assertThat(line.get("bytesOut").asLong()).isEqualTo(31);
        assertThat(sink)
                .containsExactly(Files.readAllLines(dir.resolve("requests.log")).get(0));
    }

    @Test
    void keepsTheLinesItWroteForTheDashboardWithWhatTheyAreFilteredBy() throws Exception {
        try (var log = new RequestLog(dir, 1 << 20, 3, List.of())) {
            log.record(call("r-1", 200));
            log.record(call("r-2", 503));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.recent().newest() == 2);

            var failed = log.recent().find(new RecentCalls.Filter("echo", 5, null, 0), 10);
            assertThat(failed).hasSize(1);
            assertThat(failed.getFirst().seq()).isEqualTo(2);
            assertThat(JSON.readTree(failed.getFirst().json()).get("requestId").asText())
                    .isEqualTo("r-2");
            assertThat(log.recent().find(new RecentCalls.Filter("iris", null, null, 0), 10))
                    .isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve("requests.log"))).hasSize(2);
    }

    @Test
    void timesKeepTheirMillisecondsAcrossSecondsInOneBatch() throws Exception {
        // the same writer formats a time in another second, then one in the first second again
        var times = List.of(
                Instant.parse("2026-11-26T23:59:59.999Z"),
                Instant.parse("2026-11-27T00:00:00.007Z"),
                Instant.parse("2026-11-26T23:59:59.050Z"));
        var sink = new CopyOnWriteArrayList<String>();
        try (var log = new RequestLog(dir, 1 << 20, 3, List.of(sink::add))) {
            for (var at : times) {
                var call = call("r-" + at.toEpochMilli(), 200);
                setTime(call, at);
                log.record(call);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 3);
        }
        assertThat(read(dir.resolve("requests.log")))
                .extracting(l -> l.get("time").asText())
                .containsExactly("2026-11-26T23:59:59.999Z", "2026-11-27T00:00:00.007Z", "2026-11-26T23:59:59.050Z");
    }

    private static void setTime(CallRecord call, Instant at) throws ReflectiveOperationException {
        var field = CallRecord.class.getDeclaredField("time");
        field.setAccessible(true);
        field.set(call, at);
    }

    @Test
    void rotatesBySizeKeepingWholeLinesAndTheNewestFiles() throws Exception {
        var sink = new CopyOnWriteArrayList<String>();
        int calls = 40;
        try (var log = new RequestLog(dir, 1_000, 3, List.of(sink::add))) {
            for (int i = 0; i < calls; i++) {
                log.record(call("r-" + i, 200));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == calls);
        }
        var current = dir.resolve("requests.log");
        var files = List.of(
                dir.resolve("requests.log.3"), dir.resolve("requests.log.2"), dir.resolve("requests.log.1"), current);
        assertThat(dir.resolve("requests.log.4")).doesNotExist();
        var kept = new ArrayList<String>();
        for (var file : files) {
            assertThat(file).exists();
            assertThat(Files.size(file)).isLessThanOrEqualTo(1_000);
            read(file).forEach(l -> kept.add(l.get("requestId").asText())); // every line parses: none is split
        }
        // the newest lines, in order, and nothing but whole files of the oldest are gone
        var expected = new ArrayList<String>();
        for (int i = calls - kept.size(); i < calls; i++) {
            expected.add("r-" + i);
        }
        assertThat(kept).isEqualTo(expected);
        assertThat(kept.size()).isLessThan(calls);
    }

    @Test
    void dropsAndCountsWhatDoesNotFitWhileTheWriterIsStuckThenWritesTheRest() throws Exception {
        var stuck = new CountDownLatch(1);
        var written =
                new AtomicInteger(); // a count: a list copied on every write made the writer the test's bottleneck
        RequestLogSink slow = line -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.incrementAndGet();
        };
        int calls = 70_000;
        try (var log = new RequestLog(dir, 1L << 30, 2, List.of(slow))) {
            var one = call("same", 200);
            for (int i = 0; i < calls; i++) {
                log.record(one);
            }
            assertThat(log.dropped()).isPositive();
            stuck.countDown();
            long dropped = log.dropped();
            await().atMost(Duration.ofSeconds(20)).until(() -> written.get() + dropped == calls);
            assertThat(log.dropped()).isEqualTo(dropped);
        }
        assertThat(Files.readAllLines(dir.resolve("requests.log"))).hasSize(written.get());
    }

    @Test
    void closingWritesWhatWasQueued() throws Exception {
        var log = new RequestLog(dir, 1 << 20, 2, List.of());
        for (int i = 0; i < 500; i++) {
            log.record(call("r-" + i, 200));
        }
        log.close();
        assertThat(Files.readAllLines(dir.resolve("requests.log"))).hasSize(500);
    }

    @Test
    void findsSinksThroughTheServiceLoader() throws Exception {
        var id = "loader-" + System.nanoTime();
        try (var log = new RequestLog(dir, 1 << 20, 2)) {
            log.record(call(id, 200));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> CollectingSink.LINES.stream().anyMatch(l -> l.contains(id)));
        }
    }

    @Test
    void aFailedRotationCountsTheLinesItLostAndTheLogWorksAgainOnceItCan() throws Exception {
        var blocker = Files.createDirectories(dir.resolve("requests.log.1").resolve("in-the-way"));
        var sink = new CopyOnWriteArrayList<String>();
        try (var log = new RequestLog(dir, 1_000, 1, List.of(sink::add))) {
            for (int i = 0; i < 10; i++) {
                log.record(call("r-" + i, 200));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() + log.dropped() == 10);
            assertThat(log.dropped()).as("lines that could not rotate").isPositive();
            assertThat(read(dir.resolve("requests.log"))).hasSize(sink.size());

            Files.delete(blocker);
            Files.delete(blocker.getParent());
            long lost = log.dropped();
            log.record(call("after", 200));
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.stream().anyMatch(l -> l.contains("\"after\"")));
            assertThat(log.dropped()).isEqualTo(lost);
        }
        assertThat(Files.readAllLines(dir.resolve("requests.log")))
                .hasSize(1)
                .first()
                .asString()
                .contains("\"after\"");
    }
}
