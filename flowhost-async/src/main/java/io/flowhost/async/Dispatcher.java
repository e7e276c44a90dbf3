package io.flowhost.async;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.gateway.AsyncIntake;
import io.flowhost.gateway.RouteTable;
import io.flowhost.state.sqlite.RequestStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs queued requests: per deployment, in arrival order, as many at once as its ready instances
 * have room for (one when it has none: that call, held by the activator, wakes it), each under a
 * lease. It calls the gateway itself, so queued calls get its balancing, holding and retries. A
 * 2xx or the handler's own 4xx is final; anything else (the instance died, timed out, or never
 * became ready) puts the request back for another attempt, up to its maximum.
 */
public final class Dispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.async");
    private static final Duration LOOK_EVERY = Duration.ofMillis(50);
    private static final int MAX_LEASE_PER_ROUND = 64;

    private final RequestStore store;
    private final RouteTable routes;
    private final Supplier<URI> gateway;
    private final Duration requestTimeout;
    private final Callbacks callbacks;
    private final InstantSource clock;
    private final String holder = "dispatcher-" + UUID.randomUUID();
    // Each round's leases get a holder of their own, so that a late answer from an earlier attempt
    // of a request can never be taken for its current one.
    private long round;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Object signal = new Object();
    private volatile boolean nudged;
    private volatile boolean closed;
    private Thread thread;

    public Dispatcher(
            RequestStore store,
            RouteTable routes,
            Supplier<URI> gateway,
            Duration requestTimeout,
            Callbacks callbacks,
            InstantSource clock) {
        this.store = store;
        this.routes = routes;
        this.gateway = gateway;
        this.requestTimeout = requestTimeout;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** Starts looking for work: now, whenever nudged, and every 50 ms in case a slot freed up. */
    public void start() {
        thread = Thread.ofPlatform().name("dispatcher").daemon().start(this::loop);
    }

    /** There is new work, or a running request finished: look again now. */
    public void nudge() {
        synchronized (signal) {
            nudged = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "dispatching failed; trying again", e);
            }
            synchronized (signal) {
                if (!nudged && !closed) {
                    try {
                        signal.wait(LOOK_EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                nudged = false;
            }
        }
    }

    private void round() {
        for (var deploymentId : store.deploymentsWithQueued()) {
            var inFlight = running.computeIfAbsent(deploymentId, id -> new AtomicInteger());
            int room = room(deploymentId) - inFlight.get();
            if (room <= 0) {
                continue;
            }
            var now = clock.instant();
            var attemptHolder = holder + "-" + (++round);
            for (var request : store.lease(
                    deploymentId, attemptHolder, lease(deploymentId), Math.min(room, MAX_LEASE_PER_ROUND), now)) {
                inFlight.incrementAndGet();
                Thread.ofVirtual().name("dispatch-" + request.id()).start(() -> {
                    try {
                        run(request);
                    } finally {
                        inFlight.decrementAndGet();
                        nudge();
                    }
                });
            }
        }
    }

    /** How many of the deployment's queued calls may run at once now: its instances' room, or one to wake it. */
    private int room(String deploymentId) {
        return routes.traffic(deploymentId)
                .map(traffic -> {
                    int ready = traffic.backends().size();
                    return Math.max(1, ready * traffic.maxConcurrency());
                })
                .orElse(1);
    }

    /** Long enough for a cold start and the call itself; a lease that lapses puts the request back. */
    private Duration lease(String deploymentId) {
        var startup = routes.traffic(deploymentId).map(t -> t.holdTimeout()).orElse(Duration.ofSeconds(120));
        return startup.plus(requestTimeout).plusSeconds(30);
    }

    private void run(AsyncRequest request) {
        var now = clock.instant();
        Result result;
        try {
            var response = http.send(call(request), HttpResponse.BodyHandlers.ofByteArray());
            result = new Result(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            retry(request, "the call failed: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retry(request, "interrupted");
            return;
        }
        int status = result.status();
        boolean fin =
                (status >= 200 && status < 300) || (status >= 400 && status < 500 && status != 408 && status != 429);
        if (fin) {
            if (store.complete(request.id(), request.leaseHolder(), result, clock.instant())) {
                store.get(request.id()).ifPresent(callbacks::finished);
            }
        } else {
            retry(
                    request,
                    "attempt " + request.attempts() + " answered " + status + ": "
                            + new String(result.body(), StandardCharsets.UTF_8)
                                    .lines()
                                    .findFirst()
                                    .orElse(""));
        }
    }

    private void retry(AsyncRequest request, String why) {
        if (store.retryOrFail(request.id(), request.leaseHolder(), why, clock.instant())) {
            store.get(request.id()).filter(r -> r.state().isFinal()).ifPresent(callbacks::finished);
        }
    }

    private HttpRequest call(AsyncRequest request) {
        var method = routes.get(request.service()) == null
                ? "POST"
                : routes.get(request.service())
                        .deployment()
                        .descriptor()
                        .endpoint(request.endpoint())
                        .map(e -> e.method())
                        .orElse("POST");
        var builder = HttpRequest.newBuilder(
                        gateway.get().resolve("/v1/services/" + request.service() + "/" + request.endpoint()))
                .timeout(lease(request.deploymentId()).minusSeconds(20))
                .header(AsyncIntake.DISPATCHED, request.id())
                .header(
                        AsyncIntake.QUEUED_MS,
                        Long.toString(Duration.between(
                                        request.acceptedAt(),
                                        request.startedAt() == null ? clock.instant() : request.startedAt())
                                .toMillis()))
                .header("X-Request-Id", request.requestId());
        if (request.trace() != null) {
            // the run joins the trace it was accepted in, however long ago and whichever server accepted it
            builder.header(Intake.TRACEPARENT, request.trace().traceparent());
            if (request.trace().tracestate() != null) {
                builder.header(Intake.TRACESTATE, request.trace().tracestate());
            }
        }
        if (method.equals("GET")) {
            return builder.GET().build();
        }
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build();
    }

    @Override
    public void close() {
        closed = true;
        nudge();
    }
}
