package io.flowhost.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.server.observe.RequestLogSink;
import io.flowhost.state.AuditStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail: every management action and every refused attempt, one JSON line each in
 * {@code <data-dir>/logs/audit.log} (apart from the request log), handed to each {@link RequestLogSink} that takes
 * audit lines, and kept in the state store so that {@code flowhost audit} reads what every gateway recorded. Events
 * are queued and written by a thread of the trail's own: recording never waits, on an event loop or anywhere else.
 */
public final class AuditTrail implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.audit");
    private static final int QUEUE = 16_384;
    private static final int BATCH = 512;
    /** How long the state store keeps the trail; the log file is the operator's to rotate and keep. */
    static final Duration KEPT = Duration.ofDays(90);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final AuditStore store;
    private final List<RequestLogSink> sinks;
    private final InstantSource clock;
    private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final BufferedWriter out;
    private volatile boolean closed;
    private Instant prunedAt = Instant.MIN;

    /** Opens (appending) {@code audit.log} under {@code dir}, with the sinks found through {@link ServiceLoader}. */
    public AuditTrail(Path dir, AuditStore store, InstantSource clock) {
        this(
                dir,
                store,
                clock,
                ServiceLoader.load(RequestLogSink.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList());
    }

    AuditTrail(Path dir, AuditStore store, InstantSource clock, List<RequestLogSink> sinks) {
        this.file = dir.resolve("audit.log");
        this.store = store;
        this.clock = clock;
        this.sinks = List.copyOf(sinks);
        try {
            Files.createDirectories(dir);
            out = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file, e);
        }
        writer = Thread.ofPlatform().name("audit").daemon().start(this::drain);
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /** Events dropped because the queue was full (someone sends refused requests faster than they are written). */
    public long dropped() {
        return dropped.get();
    }

    /** Queues an event; never blocks. */
    public void record(AuditEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** The events kept since {@code since}, oldest first, at most {@code limit} (the newest). */
    public List<AuditEvent> since(Instant since, int limit) {
        return store.since(since, limit);
    }

    /** One event as its JSON line (without the newline). */
    static String line(AuditEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", e.at().toString());
        node.put("actor", e.actor());
        node.put("source", e.source());
        node.put("action", e.action());
        node.put("target", e.target());
        node.put("result", e.result());
        node.put("status", e.status());
        if (e.detail() != null) {
            node.put("detail", e.detail());
        }
        return node.toString();
    }

    private void drain() {
        var batch = new ArrayList<AuditEvent>(BATCH);
        while (true) {
            boolean last = closed; // read before draining: an event queued before close() is written
            try {
                var first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
            } catch (InterruptedException e) {
                last = true;
            }
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            } else if (last) {
                break;
            }
            pruneNowAndThen();
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the audit log failed: " + e);
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            for (var event : batch) {
                var text = line(event);
                out.write(text);
                out.newLine();
                for (var sink : sinks) {
                    try {
                        sink.audit(text);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "audit sink " + sink.getClass().getName() + " failed: " + e);
                    }
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "writing the audit log " + file + " failed: " + e);
        }
        try {
            store.add(batch);
        } catch (RuntimeException e) {
            // the lines are in the log file still; the state store has them again once it can be reached
            LOG.log(
                    Level.WARNING,
                    "keeping " + batch.size() + " audit events in the state store failed (they are in " + file + "): "
                            + e.getMessage());
        }
    }

    private void pruneNowAndThen() {
        var now = clock.instant();
        if (prunedAt.plus(Duration.ofHours(1)).isAfter(now)) {
            return;
        }
        prunedAt = now;
        try {
            store.prune(now.minus(KEPT));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "pruning the audit trail failed: " + e.getMessage());
        }
    }

    /** Writes what is queued (waiting up to 5 s), then closes the file. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
