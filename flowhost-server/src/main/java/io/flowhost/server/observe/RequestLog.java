package io.flowhost.server.observe;

import io.flowhost.domain.instance.ColdStart;
import io.flowhost.gateway.observe.CallRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The request log: one JSON line per endpoint call, written by a thread of its own to
 * {@code <data-dir>/logs/requests.log} (rotated by size, {@code .1} to {@code .N}) and handed to
 * every {@link RequestLogSink} found through {@link ServiceLoader}. A call only puts its record in
 * a bounded queue; when the queue is full the record is dropped and counted, never waited for.
 */
public final class RequestLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.requestlog");
    private static final int QUEUE = 65_536;
    private static final int BATCH = 4_096;
    /** How long the writer sleeps when the queue is empty: calls never wake it, which costs them a lock hand-off each. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final List<RequestLogSink> sinks;
    private final AtomicLong dropped = new AtomicLong();
    private final RecentCalls recent = new RecentCalls();
    private final Thread writerThread;
    private volatile boolean closed;
    private volatile Function<String, ColdStart> coldStarts = id -> null;
    // The writer thread's own: one line is written into `line`, then copied to `out`.
    private final JsonLine line = new JsonLine();
    private final char[] time = new char[24];
    private long timeSecond = Long.MIN_VALUE;
    private OutputStream out;
    private long size;

    /** Opens (appending) the log under {@code dir}, rotating at {@code maxBytes}, keeping {@code keep} old files. */
    public RequestLog(Path dir, long maxBytes, int keep) {
        this(
                dir,
                maxBytes,
                keep,
                ServiceLoader.load(RequestLogSink.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList());
    }

    /** As above, handing the lines to these sinks. */
    RequestLog(Path dir, long maxBytes, int keep, List<RequestLogSink> sinks) {
        this.file = dir.resolve("requests.log");
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.sinks = List.copyOf(sinks);
        try {
            Files.createDirectories(dir);
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the request log " + file, e);
        }
        writerThread = Thread.ofPlatform().name("request-log").daemon().start(this::drain);
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /**
     * Where the log finds how the instance of a call held for a cold start spent its start (by instance id), for
     * that call's line; null when it is not known (yet).
     */
    public void explainColdStartsBy(Function<String, ColdStart> coldStarts) {
        this.coldStarts = coldStarts;
    }

    /** The last lines written, for the dashboard. */
    public RecentCalls recent() {
        return recent;
    }

    /** Records dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Queues a call's record; never blocks. */
    public void record(CallRecord call) {
        if (!queue.offer(call)) {
            dropped.incrementAndGet();
        }
    }

    /** The writer thread: writes what is queued, and once closed and drained, closes the file and the sinks. */
    private void drain() {
        var batch = new ArrayList<CallRecord>(BATCH);
        while (true) {
            boolean last = closed; // read before draining: a record queued before close() is written
            queue.drainTo(batch, BATCH);
            if (batch.isEmpty()) {
                if (last) {
                    break;
                }
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            int failed = 0;
            Exception failure = null;
            for (var call : batch) {
                try {
                    write(call);
                } catch (IOException | RuntimeException e) {
                    failed++; // this line only: the rest of the batch is still written
                    failure = e;
                }
            }
            batch.clear();
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
            if (failure != null) {
                dropped.addAndGet(failed);
                LOG.log(Level.WARNING, "writing the request log failed (" + failed + " lines lost): " + failure);
            }
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the request log failed: " + e);
        }
        sinks.forEach(RequestLogSink::close);
    }

    private void write(CallRecord call) throws IOException {
        writeLine(call);
        int length = line.size();
        if (size + length > maxBytes) {
            rotate();
        }
        line.writeTo(out);
        size += length;
        var text = line.text();
        recent.add(call.time(), call.service(), call.status(), text);
        if (!sinks.isEmpty()) {
            for (var sink : sinks) {
                try {
                    sink.accept(text);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "request log sink " + sink.getClass().getName() + " failed: " + e);
                }
            }
        }
    }

    private void rotate() throws IOException {
        out.close();
        try {
            for (int i = keep - 1; i >= 1; i--) {
                var older = file.resolveSibling(file.getFileName() + "." + i);
                if (Files.exists(older)) {
                    Files.move(
                            older,
                            file.resolveSibling(file.getFileName() + "." + (i + 1)),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            open(); // a failed move keeps appending to the current file rather than leaving the log closed
        }
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
    }

    /** The line's fields, in a fixed order: times in milliseconds with three decimals. */
    private void writeLine(CallRecord c) {
        var l = line;
        l.begin();
        l.field("time", time(c.time()));
        l.field("requestId", c.requestId());
        l.field("traceId", c.traceId());
        l.field("service", c.service());
        l.field("deployment", c.deployment());
        l.field("variant", c.variant());
        l.field("run", c.run());
        l.field("endpoint", c.endpoint());
        l.field("mode", c.mode());
        l.field("status", c.status());
        l.millis("totalMs", c.totalNanos());
        l.millis("heldMs", c.heldNanos());
        if (c.queuedMillis() >= 0) {
            l.field("queuedMs", c.queuedMillis());
        }
        if (c.instanceNanos() >= 0) {
            l.millis("instanceMs", c.instanceNanos());
        }
        l.field("instance", c.instance());
        l.field("coldStart", c.coldStart());
        if (c.coldStart() && c.instance() != null) {
            var parts = coldStarts.apply(c.instance());
            if (parts != null) {
                l.field("coldStartParts", parts.describe());
            }
        }
        if (c.batchSize() > 0) {
            l.field("batch", c.batchSize());
            if (c.batchQueueMicros() >= 0) {
                l.millis("batchQueueMs", c.batchQueueMicros() * 1000);
            }
        }
        l.field("bytesIn", c.bytesIn());
        l.field("bytesOut", c.bytesOut());
        l.end();
    }

    /** ISO-8601 in UTC to the millisecond ({@code 2026-11-26T15:31:12.123Z}); the seconds are formatted once a second. */
    private char[] time(Instant at) {
        long second = at.getEpochSecond();
        if (second != timeSecond) {
            SECOND.format(at).getChars(0, 19, time, 0);
            time[19] = '.';
            time[23] = 'Z';
            timeSecond = second;
        }
        int millis = at.getNano() / 1_000_000;
        time[20] = (char) ('0' + millis / 100);
        time[21] = (char) ('0' + millis / 10 % 10);
        time[22] = (char) ('0' + millis % 10);
        return time;
    }

    /** Writes what is queued (waiting up to 5 s), then closes the file and the sinks. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writerThread);
        try {
            writerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.log(
                    Level.WARNING,
                    "the request log's writer did not finish within 5 s (a slow sink?); " + queue.size()
                            + " queued lines may be lost");
        }
    }
}
