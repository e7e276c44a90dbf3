package io.flowhost.runtime.predictions;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The files lines are appended to under one directory: a Hive-style partition per UTC hour
 * ({@code date=2026-11-26/hour=14/}), a new file each hour and whenever the next line would take one
 * past its size limit ({@code predictions-2026-11-26T14-00-00Z-000.jsonl}, then {@code -001}).
 *
 * <p>A file is only ever created new, never appended to: every instance of a deployment writes into
 * the same directory, and each takes the next number no other has taken (an exclusive create), so
 * instances and restarts never interleave lines in one file. Lines are written whole.
 */
final class RollingFiles implements Closeable {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long maxBytes;
    private final InstantSource clock;
    private OutputStream out;
    private Instant hour;
    private int sequence;
    private long written;

    RollingFiles(Path dir, long maxBytes, InstantSource clock) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("prediction file size limit: " + maxBytes + " (expected: >= 1 byte)");
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** Appends one whole line (with its newline) to the file of the current hour, opening a new one when due. */
    void write(byte[] line) throws IOException {
        var now = clock.instant().truncatedTo(ChronoUnit.HOURS);
        if (out == null || !now.equals(hour)) {
            open(now, 0);
        } else if (written > 0 && written + line.length > maxBytes) {
            open(hour, sequence + 1); // a line longer than the limit gets a file of its own
        }
        try {
            // One write per line: the buffer flushes before a line that does not fit, never in its middle.
            out.write(line);
            written += line.length;
        } catch (IOException e) {
            abandon(); // the next line starts a new file rather than appending to a damaged one
            throw e;
        }
    }

    /** Writes out what is buffered, so readers see every line logged so far. */
    void flush() throws IOException {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                abandon();
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    /** The partition of an hour, relative to the directory: {@code date=2026-11-26/hour=14}. */
    static String partition(Instant hour) {
        return "date=" + DATE.format(hour) + "/hour=" + HOUR.format(hour);
    }

    /** The name of an hour's file with a given number: {@code predictions-2026-11-26T14-00-00Z-000.jsonl}. */
    static String name(Instant hour, int sequence) {
        return "predictions-" + STAMP.format(hour) + "-" + String.format("%03d", sequence) + ".jsonl";
    }

    private void open(Instant newHour, int from) throws IOException {
        close();
        var partition = dir.resolve(partition(newHour));
        Files.createDirectories(partition);
        for (int n = from; ; n++) {
            try {
                out = new BufferedOutputStream(
                        Files.newOutputStream(
                                partition.resolve(name(newHour, n)),
                                StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE),
                        64 * 1024);
                hour = newHour;
                sequence = n;
                written = 0;
                return;
            } catch (FileAlreadyExistsException e) {
                // another instance of this deployment (or an earlier run) has this number: try the next
            }
        }
    }

    private void abandon() {
        try {
            close();
        } catch (IOException ignored) {
            // the file is already broken; the error that got us here is the one reported
        }
    }
}
