package io.flowhost.sdk.predictions;

/**
 * Receives the calls an instance answered, to keep them where a training flow can read them back;
 * found through {@link java.util.ServiceLoader} in the service jar or on the platform's class path.
 *
 * <p>Register an implementation (public, with a public no-argument constructor) in
 * {@code META-INF/services/io.flowhost.sdk.predictions.PredictionLogger}. flowhost calls it from one
 * background thread, never from a call's own thread: a slow logger makes the instance drop
 * predictions (and count them), never slows a call; what it throws is counted and ignored.
 */
public interface PredictionLogger extends AutoCloseable {

    /** Keeps one prediction; called from one thread at a time, in the order the calls were answered. */
    void log(Prediction p);

    /** Pushes out what {@link #log} buffered; called whenever no more predictions are waiting. */
    default void flush() {}

    /** Flushes and releases what the logger holds; called once, when the instance stops. */
    @Override
    default void close() {}
}
