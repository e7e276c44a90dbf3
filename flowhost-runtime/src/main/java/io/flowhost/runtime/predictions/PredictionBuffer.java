package io.flowhost.runtime.predictions;

import io.flowhost.sdk.predictions.Prediction;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded buffer of predictions that one background thread drains into the loggers: adding never
 * blocks (a full buffer drops and counts), and nothing a logger does reaches the caller.
 */
final class PredictionBuffer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.predictions");

    /** Put behind the last prediction by {@link #close}: the drain thread stops when it takes it. */
    private static final Prediction STOP =
            new Prediction("", "", "", null, null, null, 0, Duration.ZERO, Instant.EPOCH, null, null);

    private final int capacity;
    private final BlockingQueue<Prediction> queue;
    private final List<PredictionLogger> loggers;
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread drain;
    private volatile boolean closed;

    PredictionBuffer(int capacity, List<PredictionLogger> loggers) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.loggers = List.copyOf(loggers);
        // A platform thread: loggers do blocking file and network I/O, which would pin a virtual thread's carrier.
        this.drain = Thread.ofPlatform().daemon().name("prediction-log").start(this::drain);
    }

    /** Queues a prediction for the loggers, or drops and counts it when the buffer is full; never blocks. */
    void offer(Prediction prediction) {
        if (closed || !queue.offer(prediction)) {
            if (dropped.incrementAndGet() == 1) {
                LOG.log(
                        Level.WARNING,
                        "prediction log buffer full (" + capacity + " waiting): dropping predictions, "
                                + "the loggers are slower than the calls; dropped() counts them");
            }
        }
    }

    long logged() {
        return logged.get();
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }

    private void drain() {
        try {
            for (var prediction = queue.take(); prediction != STOP; prediction = queue.take()) {
                deliver(prediction);
                if (queue.isEmpty()) {
                    // Idle: push out what the loggers batched, so a quiet hour's calls are readable at once.
                    loggers.forEach(logger -> guard(logger, "flush", logger::flush));
                }
            }
        } catch (InterruptedException e) {
            return; // nothing interrupts this thread; if something does, stop quietly
        }
        loggers.forEach(logger -> guard(logger, "close", logger::close));
    }

    private void deliver(Prediction prediction) {
        boolean all = true;
        for (var logger : loggers) {
            all &= guard(logger, "log", () -> logger.log(prediction));
        }
        if (all) {
            logged.incrementAndGet();
        }
    }

    /** Runs one logger call; whatever it throws is counted and logged (the first, then every 1,000th). */
    private boolean guard(PredictionLogger logger, String what, Runnable call) {
        try {
            call.run();
            return true;
        } catch (Throwable e) {
            long failures = failed.incrementAndGet();
            if (failures == 1 || failures % 1_000 == 0) {
                LOG.log(
                        Level.WARNING,
                        "prediction logger " + logger.getClass().getName() + " failed to " + what + " (" + failures
                                + " failures so far; calls are not affected)",
                        e);
            }
            return false;
        }
    }

    /** Stops taking predictions, lets the loggers write those waiting and closes them, waiting at most {@code wait}. */
    void close(Duration wait) {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (queue.offer(STOP, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                drain.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drain.isAlive()) {
            LOG.log(
                    Level.WARNING,
                    "prediction loggers did not finish within " + wait.toMillis() + " ms; " + queue.size()
                            + " predictions were not logged");
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
