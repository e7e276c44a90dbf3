package io.flowhost.runtime.predictions;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.predictions.Prediction;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * An instance's prediction logging: samples its answered calls and hands them through a bounded
 * buffer to the loggers on a background thread, so that logging never slows or fails a call.
 *
 * <p>A handler asks {@link #sample()} first and only then copies the bodies for {@link #record};
 * with no logger, {@link #sample()} answers false at the cost of reading one field.
 */
public final class Predictions implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.predictions");
    private static final Predictions OFF = new Predictions(
            PredictionSettings.defaults(),
            "",
            () -> null,
            InstantSource.system(),
            () -> 1.0,
            CompletableFuture.completedFuture(null));

    private final PredictionSettings settings;
    private final String deployment;
    private final String service;
    private final Supplier<String> metaflowRun;
    private final Sampler sampler;
    private final InstantSource clock;
    private final CompletableFuture<Void> found;
    private volatile PredictionBuffer buffer; // null until loggers are found, and for good when there are none
    private volatile String run;
    private boolean closed;

    private Predictions(
            PredictionSettings settings,
            String service,
            Supplier<String> metaflowRun,
            InstantSource clock,
            DoubleSupplier random,
            CompletableFuture<Void> found) {
        this.settings = settings;
        this.deployment = settings.deployment() == null ? service : settings.deployment();
        this.service = service;
        this.metaflowRun = metaflowRun;
        this.sampler = new Sampler(settings.sampleRate(), random);
        this.clock = clock;
        this.found = found;
    }

    /** Logging that is off: samples nothing, records nothing. */
    public static Predictions off() {
        return OFF;
    }

    /**
     * Starts logging for one instance to the loggers its settings and class loader give (see
     * {@link PredictionLoggers#configured}), which are looked for on a thread of their own: looking
     * opens every jar on the class path (17 ms for the shaded flowhost.jar, 45 ms for a 70-jar class
     * path, measured), so it runs while the instance starts listening rather than before.
     *
     * @param pins the deployment's pinned Metaflow runs, read when a prediction is made (see {@link #firstRun})
     * @param loader the service's class loader, which sees the service jar and the platform's class path
     */
    public static Predictions open(
            PredictionSettings settings, String service, Supplier<Map<String, String>> pins, ClassLoader loader) {
        if (settings.sampleRate() == 0) {
            return OFF; // nothing would ever be logged: do not even look
        }
        var found = new CompletableFuture<Void>();
        // Each handler thread draws from its own generator: no contention between concurrent calls.
        var predictions = new Predictions(
                settings,
                service,
                () -> firstRun(pins.get()),
                InstantSource.system(),
                () -> ThreadLocalRandom.current().nextDouble(),
                found);
        Thread.ofPlatform().daemon().name("prediction-loggers").start(() -> {
            try {
                predictions.begin(PredictionLoggers.configured(settings, loader));
                found.complete(null);
            } catch (ServiceDefinitionException | RuntimeException e) {
                found.completeExceptionally(e);
            }
        });
        return predictions;
    }

    /**
     * Starts logging to the given loggers at once, or returns {@link #off()} when there are none.
     *
     * @param metaflowRun the run the deployment serves ({@code Flow/run}), or null; asked until it answers one
     * @param clock stamps each prediction's time
     * @param random uniform numbers in [0, 1) for sampling, safe to call from many threads (a seeded one in tests)
     */
    public static Predictions start(
            PredictionSettings settings,
            String service,
            Supplier<String> metaflowRun,
            List<PredictionLogger> loggers,
            InstantSource clock,
            DoubleSupplier random) {
        if (loggers.isEmpty()) {
            return OFF;
        }
        var predictions =
                new Predictions(settings, service, metaflowRun, clock, random, CompletableFuture.completedFuture(null));
        predictions.begin(loggers);
        return predictions;
    }

    /** Waits until the loggers are found (an instance constructs its service only after), failing if one cannot be loaded. */
    public void awaitLoggers() throws ServiceDefinitionException {
        try {
            found.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceDefinitionException definition) {
                throw definition;
            }
            throw new ServiceDefinitionException("cannot start prediction logging: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceDefinitionException("interrupted while looking for prediction loggers", e);
        }
    }

    /** Whether any logger receives predictions. */
    public boolean enabled() {
        return buffer != null;
    }

    /** Whether to log the call being answered: false when off, else true with the sampling rate's probability. */
    public boolean sample() {
        return buffer != null && sampler.sample();
    }

    /**
     * Queues one answered call for the loggers (a call {@link #sample()} chose); never blocks, never throws.
     *
     * @param request the request body as received, empty for none
     * @param response the response body as sent, empty for none
     * @param traceId the call's W3C trace id (its span's, or its caller's {@code traceparent}'s), or null
     * @param variant what the deployment is to its service as the gateway said ({@code canary}), null for primary
     */
    public void record(
            String endpoint,
            byte[] request,
            byte[] response,
            int status,
            Duration latency,
            String requestId,
            String traceId,
            String variant) {
        var to = buffer;
        if (to != null) {
            to.offer(new Prediction(
                    deployment,
                    service,
                    endpoint,
                    run(),
                    request,
                    response,
                    status,
                    latency,
                    clock.instant(),
                    requestId,
                    traceId,
                    variant));
        }
    }

    /** How many predictions every logger took without failing. */
    public long logged() {
        var from = buffer;
        return from == null ? 0 : from.logged();
    }

    /** How many sampled predictions were dropped because the buffer was full (or logging had stopped). */
    public long dropped() {
        var from = buffer;
        return from == null ? 0 : from.dropped();
    }

    /** How many logger calls threw (and were ignored). */
    public long failed() {
        var from = buffer;
        return from == null ? 0 : from.failed();
    }

    /** Lets the loggers write what is waiting and closes them, waiting up to 5 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** {@link #close()}, waiting at most {@code wait} for the loggers. */
    public void close(Duration wait) {
        if (this == OFF) {
            return;
        }
        try {
            found.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a logger that could not be loaded was reported by awaitLoggers; one still loading is closed by begin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PredictionBuffer open;
        synchronized (this) {
            closed = true;
            open = buffer;
        }
        if (open != null) {
            open.close(wait);
        }
    }

    /**
     * The first pinned run as {@code Flow/run} (pins map {@code Flow} or {@code Flow?tag=t} to a run id,
     * sorted by flow), or null when the deployment reads no Metaflow run.
     */
    public static String firstRun(Map<String, String> pins) {
        if (pins.isEmpty()) {
            return null;
        }
        var pin = pins.entrySet().iterator().next();
        int query = pin.getKey().indexOf('?');
        return (query < 0 ? pin.getKey() : pin.getKey().substring(0, query)) + "/" + pin.getValue();
    }

    private synchronized void begin(List<PredictionLogger> loggers) {
        if (closed) {
            loggers.forEach(PredictionLogger::close); // the instance stopped while they were being found
            return;
        }
        if (!loggers.isEmpty()) {
            LOG.log(
                    Level.INFO,
                    "logging predictions at sample rate " + settings.sampleRate() + " to "
                            + loggers.stream().map(l -> l.getClass().getName()).toList());
            buffer = new PredictionBuffer(settings.bufferCapacity(), loggers);
        }
    }

    private String run() {
        // A deployment's pins are fixed once its constructor has resolved them, so the first answer is kept;
        // before that (no run resolved yet) the pins are asked again.
        var known = run;
        if (known == null) {
            known = metaflowRun.get();
            run = known;
        }
        return known;
    }
}
