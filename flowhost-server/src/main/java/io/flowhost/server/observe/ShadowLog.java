package io.flowhost.server.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.alerts.RecordingStats;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.gateway.shadow.ShadowObserver;
import io.flowhost.gateway.shadow.ShadowPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of shadow copies: per shadow deployment how many were compared, agreed and dropped; each answer in the
 * version statistics (a shadow is judged by its guardrails too); and each disagreement written beside the shadow's
 * predictions, {@code <data-dir>/predictions/<deployment>/shadow-disagreements.jsonl}, with both answers, for the
 * next training run to learn from. Written by a thread of its own: the event loop only queues (and drops when the
 * queue is full, counted).
 */
public final class ShadowLog implements ShadowObserver, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.shadow");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    /** One shadow deployment's counts. */
    public record Counts(long compared, long agreed, long dropped) {}

    private static final class Tally {
        final LongAdder compared = new LongAdder();
        final LongAdder agreed = new LongAdder();
        final LongAdder dropped = new LongAdder();
    }

    private record Disagreement(ShadowPair pair, Instant at) {}

    private final Path predictions;
    private final RecordingStats versions;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final BlockingQueue<Disagreement> queue = new ArrayBlockingQueue<>(10_000);
    private final LongAdder unwritten = new LongAdder();
    private final Thread writer;

    public ShadowLog(Path predictions, RecordingStats versions) {
        this.predictions = predictions;
        this.versions = versions;
        this.writer = Thread.ofPlatform().daemon().name("flowhost-shadow-log").start(this::write);
    }

    @Override
    public void compared(ShadowPair pair) {
        var tally = tally(pair.shadow().id());
        tally.compared.increment();
        var now = Instant.now();
        versions.call(pair.shadow().id(), pair.shadowStatus(), pair.shadowNanos(), now.toEpochMilli());
        if (pair.agreed()) {
            tally.agreed.increment();
        } else if (!queue.offer(new Disagreement(pair, now))) {
            unwritten.increment();
        }
    }

    @Override
    public void dropped(Deployment shadow) {
        tally(shadow.id()).dropped.increment();
    }

    /** The counts of a shadow deployment (zeros for one that had no copies). */
    public Counts counts(String deploymentId) {
        var t = tallies.get(deploymentId);
        return t == null ? new Counts(0, 0, 0) : new Counts(t.compared.sum(), t.agreed.sum(), t.dropped.sum());
    }

    /** Disagreements not written because the queue was full. */
    public long unwritten() {
        return unwritten.sum();
    }

    private Tally tally(String deploymentId) {
        var t = tallies.get(deploymentId);
        return t != null ? t : tallies.computeIfAbsent(deploymentId, id -> new Tally());
    }

    private void write() {
        try {
            while (true) {
                var next = queue.take();
                try {
                    append(next);
                } catch (IOException | UncheckedIOException e) {
                    unwritten.increment();
                    LOG.log(Level.WARNING, "cannot write a shadow disagreement: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void append(Disagreement d) throws IOException {
        var p = d.pair();
        var dir = predictions.resolve(p.shadow().id());
        Files.createDirectories(dir);
        var file = dir.resolve("shadow-disagreements.jsonl");
        if (Files.exists(file) && Files.size(file) > MAX_FILE_BYTES) {
            Files.move(file, dir.resolve("shadow-disagreements.jsonl.1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(file, line(d), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One disagreement: the shadow's answer as a prediction of its own, the primary's beside it. */
    static byte[] line(Disagreement d) throws IOException {
        var p = d.pair();
        var line = JSON.createObjectNode()
                .put("time", d.at().toString())
                .put("deployment", p.shadow().id())
                .put("variant", "shadow")
                .put("service", p.shadow().service())
                .put("endpoint", p.endpoint())
                .put("requestId", p.requestId())
                .put("status", p.shadowStatus())
                .put("latencyMs", millis(p.shadowNanos()))
                .put("difference", p.difference());
        body(line, "request", p.request());
        body(line, "response", p.shadowBody());
        var primary = line.putObject("primary")
                .put("deployment", p.primary().id())
                .put("status", p.primaryStatus())
                .put("latencyMs", millis(p.primaryNanos()));
        body(primary, "response", p.primaryBody());
        return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static void body(ObjectNode line, String field, byte[] body) {
        if (body == null || body.length == 0) {
            line.putNull(field);
            return;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException notJson) {
            parsed = null;
        }
        if (parsed != null && !parsed.isMissingNode()) {
            line.set(field, parsed);
        } else {
            line.put(field + "Base64", Base64.getEncoder().encodeToString(body));
        }
    }

    @Override
    public void close() {
        writer.interrupt();
    }
}
