package io.flowhost.server.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request log: one JSON line per endpoint call, written by a thread of its own to
 * {@code <data-dir>/logs/requests.log} (rotated by size, {@code .1} to {@code .N}) and handed to
 * every {@link RequestLogSink} found through {@link ServiceLoader}. A call only puts its record in
 * a bounded queue; when the queue is full the record is dropped and counted, never waited for.
 */
public final class RequestLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.requestlog");
    private static final int QUEUE = 65_536;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final List<RequestLogSink> sinks = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final JsonFactory json = new JsonFactory();
    private final Thread writerThread;
    private volatile boolean closed;
    private Writer out;
    private long size;

    /** Opens (appending) the log under {@code dir}, rotating at {@code maxBytes}, keeping {@code keep} old files. */
    public RequestLog(Path dir, long maxBytes, int keep) {
        this.file = dir.resolve("requests.log");
        this.maxBytes = maxBytes;
        this.keep = keep;
        try {
            Files.createDirectories(dir);
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the request log " + file, e);
        }
        ServiceLoader.load(RequestLogSink.class).forEach(sinks::add);
        writerThread = Thread.ofPlatform().name("request-log").daemon().start(this::drain);
    }

    /** The log file. */
    public Path file() {
        return file;
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

    private void drain() {
        var batch = new ArrayList<CallRecord>(1024);
        while (!closed || !queue.isEmpty()) {
            try {
                var first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1023);
                for (var call : batch) {
                    write(line(call));
                }
                out.flush();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "writing the request log failed: " + e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(String line) throws IOException {
        if (size + line.length() + 1 > maxBytes) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        size += line.length() + 1;
        for (var sink : sinks) {
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request log sink " + sink.getClass().getName() + " failed: " + e);
            }
        }
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = keep - 1; i >= 1; i--) {
            var older = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(older)) {
                Files.move(older, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    /** The line's fields, in a fixed order: times in milliseconds with three decimals. */
    String line(CallRecord c) throws IOException {
        var text = new StringWriter(384);
        try (JsonGenerator g = json.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", c.time.toString());
            g.writeStringField("requestId", c.requestId);
            g.writeStringField("traceId", c.traceId);
            g.writeStringField("service", c.service);
            g.writeStringField("deployment", c.deployment);
            g.writeStringField("run", c.run);
            g.writeStringField("endpoint", c.endpoint);
            g.writeStringField("mode", c.mode);
            g.writeNumberField("status", c.status);
            g.writeNumberField("totalMs", ms(c.totalNanos));
            g.writeNumberField("heldMs", ms(c.heldNanos));
            if (c.queuedMillis >= 0) {
                g.writeNumberField("queuedMs", c.queuedMillis);
            }
            if (c.instanceNanos >= 0) {
                g.writeNumberField("instanceMs", ms(c.instanceNanos));
            }
            g.writeStringField("instance", c.instance);
            g.writeBooleanField("coldStart", c.coldStart);
            g.writeNumberField("bytesIn", c.bytesIn);
            g.writeNumberField("bytesOut", c.bytesOut);
            g.writeEndObject();
        }
        return text.toString();
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            writerThread.join(5_000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the request log failed: " + e);
        }
        sinks.forEach(RequestLogSink::close);
    }
}
