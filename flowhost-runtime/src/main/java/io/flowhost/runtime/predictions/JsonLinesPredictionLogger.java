package io.flowhost.runtime.predictions;

import io.flowhost.sdk.predictions.Prediction;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The default prediction sink: JSON Lines files under one directory (the server gives each deployment
 * {@code <data-dir>/predictions/<deployment>/}), laid out for a training flow to read back.
 *
 * <p>Layout, Hive-style partitions by the UTC hour the line was written (which is the prediction's
 * own hour, give or take the buffer's delay of a few milliseconds):
 * <pre>
 * date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl
 * date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-001.jsonl   (past 64 MiB, or another instance)
 * date=2026-11-26/hour=15/predictions-2026-11-26T15-00-00Z-000.jsonl
 * </pre>
 * Each line is one object: {@code time} (ISO-8601, UTC), {@code deployment}, {@code service},
 * {@code endpoint}, {@code metaflowRun} ({@code Flow/run} or null), {@code requestId}, {@code traceId}
 * (or null), {@code status}, {@code latencyMs}, and {@code request} and {@code response}: the bodies
 * embedded as JSON, null when empty, or, for a body that is not JSON, {@code requestBase64} /
 * {@code responseBase64} instead. Files of past hours are complete; the current hour's files grow.
 * The directory's {@code README.md} says the same for whoever finds the files.
 */
public final class JsonLinesPredictionLogger implements PredictionLogger {

    /** 64 MiB: about 100,000 predictions of a few hundred bytes, a comfortable unit for a reader. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;

    private final RollingFiles files;
    private final PredictionJson json = new PredictionJson();

    /** A sink writing under {@code dir} (created if needed), files rotated at 64 MiB and every UTC hour. */
    public JsonLinesPredictionLogger(Path dir) throws IOException {
        this(dir, DEFAULT_MAX_FILE_BYTES, InstantSource.system());
    }

    /** A sink writing under {@code dir}, with files of at most {@code maxFileBytes} and hours told by {@code clock}. */
    public JsonLinesPredictionLogger(Path dir, long maxFileBytes, InstantSource clock) throws IOException {
        Files.createDirectories(dir);
        LayoutReadme.writeTo(dir);
        this.files = new RollingFiles(dir, maxFileBytes, clock);
    }

    /** Appends the prediction as one line; an I/O error is thrown (and counted by the caller), the next line opens a new file. */
    @Override
    public void log(Prediction p) {
        try {
            files.write(json.line(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes buffered lines to their file. */
    @Override
    public void flush() {
        try {
            files.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes buffered lines and closes the current file. */
    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
