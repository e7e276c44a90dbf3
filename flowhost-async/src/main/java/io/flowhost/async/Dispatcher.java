package io.flowhost.async;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.gateway.Call;
import io.flowhost.gateway.CallPath;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.state.RequestStore;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs queued requests: per deployment, in arrival order, as many at once as its ready instances
 * have room for (one when it has none: that call, held by the activator, wakes it), each under a
 * lease. It hands them to the gateway's pipeline in-process, so queued calls get its checks,
 * balancing, holding, retries, request log and traces, as a call from outside would. A
 * 2xx or the handler's own 4xx is final; anything else (the instance died, timed out, or never
 * became ready) puts the request back for another attempt, up to its maximum.
 *
 * <p>Throughput comes from keeping the instances busy without waiting on the disk more than needed: a call that
 * finishes takes the deployment's next request at once (its lease committed ahead of other calls' results), and its
 * own result is written while that next call already runs; when every slot is busy, more wait and calls are quick,
 * each worker leases its next request while its call runs. A worker is a chain of callbacks, not a thread: it spends
 * its life waiting, and as virtual threads the workers' waits and wake-ups took a fifth of the server's CPU. Beyond
 * that one request ahead per worker, a request is only leased for a free slot, so one that waits is queued: counted
 * against {@code max-queued}, and it can be cancelled.
 */
public final class Dispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.async");
    private static final Duration LOOK_EVERY = Duration.ofMillis(50);
    private static final int MAX_LEASE_PER_ROUND = 64;
    /** A call this quick lets its worker lease its next request while the one after it runs. */
    private static final Duration QUICK_CALL = Duration.ofMillis(10);

    private final RequestStore store;
    private final RouteTable routes;
    private volatile CallHandler calls;
    private volatile Supplier<EventLoop> loops;
    private final Duration requestTimeout;
    /** Whether the last round found the state store away (logged once per outage). */
    private boolean away;

    private final Callbacks callbacks;
    private final InstantSource clock;
    private final String holder = "dispatcher-" + UUID.randomUUID();
    // Each lease gets a holder of its own, so that a late answer from an earlier attempt of a request can never be
    // taken for its current one.
    private final AtomicLong leases = new AtomicLong();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    /**
     * The calls running, with when they must have answered by: the pipeline answers every call within its own
     * timeouts, and this is the backstop if it ever does not (one look per round, not a timer per call).
     */
    private final Map<CompletableFuture<FullHttpResponse>, Instant> calling = new ConcurrentHashMap<>();

    private final Object signal = new Object();
    private volatile boolean nudged;
    /** Not dispatching: never started, stopped (this server no longer leads) or closed. */
    private volatile boolean closed = true;

    private volatile Thread thread;

    public Dispatcher(
            RequestStore store, RouteTable routes, Duration requestTimeout, Callbacks callbacks, InstantSource clock) {
        this.store = store;
        this.routes = routes;
        this.requestTimeout = requestTimeout;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /**
     * Starts looking for work (now, whenever nudged, and every 50 ms in case a slot freed up), running each
     * request as a call through the gateway's pipeline on one of its event loops; again after {@link #close}, when
     * this server leads again.
     */
    public synchronized void start(CallHandler calls, Supplier<EventLoop> loops) {
        this.calls = calls;
        this.loops = loops;
        closed = false;
        // A new thread: the one before it, if still winding down, sees it is not the current one and ends.
        thread = Thread.ofPlatform().name("dispatcher").daemon().unstarted(this::loop);
        thread.start();
    }

    /** How many of the deployment's requests this dispatcher is running now. */
    public int running(String deploymentId) {
        var inFlight = running.get(deploymentId);
        return inFlight == null ? 0 : inFlight.get();
    }

    /** There is new work, or a running request finished: look again now. */
    public void nudge() {
        synchronized (signal) {
            nudged = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed && Thread.currentThread() == thread) {
            try {
                giveUpOnOverdueCalls(clock.instant());
                round();
                away = false;
            } catch (StateUnavailableException e) {
                if (!away) { // once per outage, without a stack trace: it says all there is
                    LOG.log(Level.WARNING, "dispatching waits for the state store: " + e.getMessage());
                    away = true;
                }
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
            for (var request : store.lease(
                    deploymentId,
                    nextHolder(),
                    lease(deploymentId),
                    Math.min(room, MAX_LEASE_PER_ROUND),
                    clock.instant())) {
                inFlight.incrementAndGet();
                work(deploymentId, inFlight, request, false);
            }
        }
    }

    /** Fails the calls past their deadline, so their requests are run again and their workers go on. */
    private void giveUpOnOverdueCalls(Instant now) {
        calling.forEach((call, deadline) -> {
            if (!now.isBefore(deadline)) {
                call.completeExceptionally(new TimeoutException("no answer by " + deadline));
            }
        });
    }

    private String nextHolder() {
        return holder + "-" + leases.incrementAndGet();
    }

    /**
     * Runs calls one after another while the deployment has requests queued and room for this worker: on callbacks,
     * not a thread, since a worker spends its life waiting (for its call, then its next lease).
     *
     * @param quick whether the worker's call before this one answered within {@link #QUICK_CALL}
     */
    private void work(String deploymentId, AtomicInteger inFlight, AsyncRequest request, boolean quick) {
        var began = clock.instant();
        var call = answer(request);
        calling.put(call, began.plus(deadline(request.deploymentId())));
        // With every slot busy and more queued, the worker's next request is leased while this call runs, so the slot
        // goes on at once when it ends: waiting for a lease then left it idle for as long as a call takes. Only after
        // a quick call, since the request leased shows as running (and cannot be cancelled) until this one ends.
        // Never throws: the call has started, and only the completion below records its answer and frees its slot.
        var ahead = quick ? ahead(deploymentId, inFlight) : null;
        call.whenComplete((response, failure) -> {
            calling.remove(call);
            boolean wasQuick = Duration.between(began, clock.instant()).compareTo(QUICK_CALL) < 0;
            CompletableFuture<AsyncRequest> next;
            try {
                // Written while the next call runs: the writer commits it with others' results.
                settle(attempt(request, response, failure));
                // A request leased ahead runs whatever happened meanwhile: it is this worker's until its lease ends.
                next = ahead == null
                        ? next(deploymentId, inFlight, lease(deploymentId))
                        : ahead.thenCompose(leased -> leased != null
                                ? CompletableFuture.completedFuture(leased)
                                : next(deploymentId, inFlight, lease(deploymentId)));
            } catch (RuntimeException e) { // a bug: the lease puts the request back; the worker runs what it holds
                LOG.log(Level.ERROR, "dispatching " + request.id() + " failed", e);
                next = ahead != null ? ahead : CompletableFuture.completedFuture(null);
            }
            next.whenComplete((following, away) -> {
                if (following != null) {
                    work(deploymentId, inFlight, following, wasQuick);
                } else {
                    inFlight.decrementAndGet();
                    nudge();
                }
            });
        });
    }

    private CompletableFuture<FullHttpResponse> answer(AsyncRequest request) {
        try {
            return calls.handle(call(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The request a worker leases while its call runs, when the deployment is backlogged; null for none. */
    private CompletableFuture<AsyncRequest> ahead(String deploymentId, AtomicInteger inFlight) {
        try {
            return backlogged(deploymentId, inFlight) ? next(deploymentId, inFlight, leaseAhead(deploymentId)) : null;
        } catch (RuntimeException e) { // the worker leases after its call instead
            LOG.log(Level.WARNING, "cannot lease ahead for " + deploymentId + ": " + e.getMessage());
            return null;
        }
    }

    /** Whether the deployment's calls fill its room and more wait: then a worker leases its next request ahead. */
    private boolean backlogged(String deploymentId, AtomicInteger inFlight) {
        return inFlight.get() >= room(deploymentId) && store.queued(deploymentId) > 0;
    }

    /** The deployment's next request for a worker; null when none is queued, there is no room, or the store fails. */
    private CompletableFuture<AsyncRequest> next(String deploymentId, AtomicInteger inFlight, Duration lease) {
        if (closed || inFlight.get() > room(deploymentId)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            if (store.queued(deploymentId) == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return store.leaseAsync(deploymentId, nextHolder(), lease, 1, clock.instant())
                    .handle((leased, away) -> leased == null || leased.isEmpty() ? null : leased.getFirst());
        } catch (RuntimeException e) {
            // the state store is away: the worker ends, and the dispatcher's rounds take its deployment up again
            LOG.log(Level.WARNING, "cannot lease the next request of " + deploymentId + ": " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    /** How many of the deployment's queued calls may run at once now: its instances' room, or one to wake it. */
    private int room(String deploymentId) {
        return routes.trafficOfQueued(deploymentId)
                .map(traffic -> {
                    int ready = traffic.backends().size();
                    return Math.max(1, ready * traffic.maxConcurrency());
                })
                .orElse(1);
    }

    /** How long a call may go unanswered before it is given up: a cold start and the call itself, and some slack. */
    private Duration deadline(String deploymentId) {
        var startup =
                routes.trafficOfQueued(deploymentId).map(t -> t.holdTimeout()).orElse(Duration.ofSeconds(120));
        return startup.plus(requestTimeout).plusSeconds(15);
    }

    /** Past the call's deadline, so that the attempt given up is still its holder's to report; a lapse puts it back. */
    private Duration lease(String deploymentId) {
        return deadline(deploymentId).plusSeconds(15);
    }

    /** A lease taken while another call runs: it may wait out that call's deadline before its own begins. */
    private Duration leaseAhead(String deploymentId) {
        return lease(deploymentId).plus(deadline(deploymentId));
    }

    /** What one attempt of a request came to: the endpoint's answer, or why there was none. */
    private record Attempt(AsyncRequest request, Result result, String failure) {}

    private static Attempt attempt(AsyncRequest request, FullHttpResponse response, Throwable failure) {
        if (failure != null) {
            var cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return new Attempt(request, null, "the call failed: " + cause);
        }
        try {
            return new Attempt(
                    request,
                    new Result(
                            response.status().code(),
                            response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                            ByteBufUtil.getBytes(response.content())),
                    null);
        } finally {
            response.release();
        }
    }

    /** Records the attempt: a final answer completes the request, anything else puts it back for another attempt. */
    private void settle(Attempt attempt) {
        var request = attempt.request();
        var result = attempt.result();
        CompletableFuture<Boolean> recorded;
        try {
            if (result == null) {
                recorded = retry(request, attempt.failure());
            } else if (isFinal(result.status())) {
                recorded = store.completeAsync(request.id(), request.leaseHolder(), result, clock.instant());
            } else {
                recorded = retry(
                        request,
                        "attempt " + request.attempts() + " answered " + result.status() + ": "
                                + new String(result.body(), StandardCharsets.UTF_8)
                                        .lines()
                                        .findFirst()
                                        .orElse(""));
            }
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        recorded.whenComplete((finished, away) -> {
            if (away != null) {
                // the state store is away: the lease runs out and the request is run again
                LOG.log(Level.WARNING, "cannot record the attempt of " + request.id() + ": " + away.getMessage());
            } else if (finished && request.callbackUrl() != null) {
                Thread.ofVirtual().name("callback-" + request.id()).start(() -> finished(request));
            }
        });
    }

    /** A 2xx, or the handler's own 4xx, which would fail the same way again; not a timeout or too many requests. */
    private static boolean isFinal(int status) {
        return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status != 408 && status != 429);
    }

    private CompletableFuture<Boolean> retry(AsyncRequest request, String why) {
        return store.retryOrFailAsync(request.id(), request.leaseHolder(), why, clock.instant());
    }

    /** Sends the request's final state to its callback (read back: the store made that state). */
    private void finished(AsyncRequest request) {
        try {
            store.get(request.id()).filter(r -> r.state().isFinal()).ifPresent(callbacks::finished);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot send the callback of " + request.id() + ": " + e.getMessage());
        }
    }

    /**
     * The request as a call of the gateway's: its endpoint's method, its body, its request id, and the trace
     * it was accepted in (the run joins it, however long ago and whichever server accepted it).
     */
    private Call call(AsyncRequest request) {
        var routing = routes.routing(request.service());
        var accepted = routing == null ? null : routing.of(request.deploymentId());
        var route = accepted != null ? accepted : routing == null ? null : routing.primary();
        var method = route == null
                ? "POST"
                : route.deployment()
                        .descriptor()
                        .endpoint(request.endpoint())
                        .map(e -> e.method())
                        .orElse("POST");
        var uri = Wire.SERVICES_PREFIX + request.service() + "/" + request.endpoint();
        var body = method.equals("GET") ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(request.body());
        var http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri, body);
        var headers = http.headers();
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (request.contentType() != null && body.isReadable()) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, request.contentType());
        }
        if (request.trace() != null) {
            headers.set(Intake.TRACEPARENT, request.trace().traceparent());
            if (request.trace().tracestate() != null) {
                headers.set(Intake.TRACESTATE, request.trace().tracestate());
            }
        }
        var startedAt = request.startedAt() == null ? clock.instant() : request.startedAt();
        return Call.asyncRun(
                http,
                CallPath.parse(uri),
                request.requestId(),
                loops.get(),
                request.id(),
                request.deploymentId(),
                Duration.between(request.acceptedAt(), startedAt).toMillis());
    }

    /** Stops leasing: the requests running finish and record their attempts; {@link #start} begins again. */
    @Override
    public synchronized void close() {
        closed = true;
        nudge();
    }
}
