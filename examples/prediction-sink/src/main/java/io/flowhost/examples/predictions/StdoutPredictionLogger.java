package io.flowhost.examples.predictions;

import io.flowhost.sdk.predictions.Prediction;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints each prediction as one tab-separated line on standard output (the instance's log), to show
 * how another logging system plugs in: replace {@link #log} with a call to its client.
 */
public final class StdoutPredictionLogger implements PredictionLogger {

    private final PrintStream out;

    /** The constructor {@link java.util.ServiceLoader} calls: prints to standard output. */
    public StdoutPredictionLogger() {
        this(System.out);
    }

    /** A logger printing to the given stream. */
    public StdoutPredictionLogger(PrintStream out) {
        this.out = out;
    }

    /** Prints time, deployment, endpoint, run, status, latency, request id, request and response. */
    @Override
    public void log(Prediction p) {
        // Runs on flowhost's logging thread, never a call's: a slow system here costs dropped predictions, not latency.
        out.println(String.join(
                "\t",
                "prediction",
                p.time().toString(),
                p.deployment(),
                p.endpoint(),
                String.valueOf(p.metaflowRun()),
                Integer.toString(p.status()),
                p.latency().toNanos() / 1_000 + "us",
                p.requestId(),
                text(p.request()),
                text(p.response())));
    }

    /** Flushes the stream, since flowhost calls this whenever no prediction is waiting. */
    @Override
    public void flush() {
        out.flush();
    }

    private static String text(byte[] body) {
        // Bodies are usually JSON; keep the line a line.
        return new String(body, StandardCharsets.UTF_8).replace('\n', ' ').replace('\t', ' ');
    }
}
