package io.flowhost.gateway;

import io.flowhost.domain.instance.InstanceFailedException;
import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.protocol.Wire;
import io.flowhost.wire.tracing.Tracing;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards calls to instances over pooled keep-alive connections of the call's own event loop: a slot on
 * a ready instance with room (power of two choices), or, with none, the call is held (the activator: its
 * deployment is woken at once) until one frees. A call that never reached an instance (it had gone) is
 * tried on another, up to {@link #ATTEMPTS} instances.
 */
public final class InstanceForwarder implements Forwarder {

    /** Calls are tried on at most this many instances when an instance turns out to be gone before they reach it. */
    private static final int ATTEMPTS = 3;

    private final BackendPool pool;
    private final Tracing tracing;
    private final HeldBytes heldBytes;

    /**
     * Forwards with connections of this transport, giving instances {@code requestTimeout} to answer, and holding
     * calls whose bodies weigh at most what {@code heldBytes} allows.
     */
    public InstanceForwarder(Transport transport, Duration requestTimeout, Tracing tracing, HeldBytes heldBytes) {
        this.pool = new BackendPool(transport, requestTimeout);
        this.tracing = tracing;
        this.heldBytes = heldBytes;
    }

    @Override
    public CompletableFuture<FullHttpResponse> forward(Call call) {
        var answer = new CompletableFuture<FullHttpResponse>();
        prepare(call);
        if (call.loop().inEventLoop()) {
            dispatch(call, answer, 1);
        } else {
            call.loop().execute(() -> dispatch(call, answer, 1));
        }
        return answer;
    }

    @Override
    public CompletableFuture<FullHttpResponse> tryForward(Call call) {
        prepare(call);
        var traffic = call.target().route().traffic();
        var backend = traffic.reserve();
        if (backend == null) {
            call.request().release();
            traffic.wanted();
            return null;
        }
        var answer = new CompletableFuture<FullHttpResponse>();
        send(call, answer, backend, ATTEMPTS); // the last attempt: it fails rather than waits for another instance
        return answer;
    }

    /** Makes the request fit to go on to an instance over a kept-alive HTTP/1.1 connection. */
    private void prepare(Call call) {
        var request = call.request();
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        HopHeaders.remove(request.headers());
        request.headers().set(Responses.REQUEST_ID, call.requestId());
        var variant = call.target().deployment().variant();
        if (variant != Variant.PRIMARY) {
            request.headers().set(Wire.VARIANT, variant.label());
        }
    }

    /** Sends the call to an instance with room, or holds it until one has room; too many held get 503. */
    private void dispatch(Call call, CompletableFuture<FullHttpResponse> answer, int attempt) {
        var traffic = call.target().route().traffic();
        var backend = traffic.reserve();
        if (backend != null) {
            send(call, answer, backend, attempt);
            return;
        }
        long bytes = call.request().content().readableBytes();
        if (!heldBytes.take(bytes)) {
            call.request().release();
            answer.completeExceptionally(new NotReadyException(
                    "the gateway already holds " + mib(heldBytes.held()) + " of calls waiting for instances (the"
                            + " limit is " + mib(heldBytes.limit()) + ", --max-held-bytes); retry shortly",
                    2));
            return;
        }
        long heldAt = System.nanoTime();
        boolean cold = traffic.backends().isEmpty();
        var holdSpan = holdSpan(call, cold, attempt);
        var held = new Held(
                call.loop(),
                b -> {
                    call.onCallerGone(() -> {}); // sent on: from here the instance's own timeout applies
                    heldBytes.give(bytes);
                    if (call.record() != null) {
                        call.record().held(System.nanoTime() - heldAt, cold);
                    }
                    if (holdSpan != null) {
                        holdSpan.setAttribute("flowhost.instance", b.instanceId());
                        holdSpan.end();
                    }
                    send(call, answer, b, attempt);
                },
                failure -> {
                    heldBytes.give(bytes);
                    endWithError(holdSpan, failure.getMessage());
                    call.request().release();
                    answer.completeExceptionally(failure);
                });
        call.onCallerGone(() -> traffic.drop(held)); // a call nobody waits for must not wake or run anything
        if (!traffic.hold(held)) {
            heldBytes.give(bytes);
            endWithError(holdSpan, "too many held calls");
            call.request().release();
            answer.completeExceptionally(new NotReadyException(
                    "service '" + call.target().deployment().service() + "' has " + traffic.held()
                            + " calls waiting for an instance already (the limit is " + traffic.maxHeld()
                            + "); retry shortly",
                    2));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** The {@code activator hold} span under the call's, when it is traced. */
    private Span holdSpan(Call call, boolean cold, int attempt) {
        if (call.span() == null) {
            return null;
        }
        return tracing.tracer()
                .spanBuilder("activator hold")
                .setParent(Context.root().with(call.span()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("flowhost.cold_start", cold)
                .setAttribute("flowhost.attempt", attempt)
                .startSpan();
    }

    private static void endWithError(Span span, String why) {
        if (span != null) {
            span.setStatus(StatusCode.ERROR, why);
            span.end();
        }
    }

    /** Sends the call over a pooled connection of its event loop to the instance whose slot it holds. */
    private void send(Call call, CompletableFuture<FullHttpResponse> answer, Backend backend, int attempt) {
        if (call.record() != null) {
            call.record().sentTo(backend.instanceId());
        }
        pool.acquire(call.loop(), backend, (connection, error) -> {
            if (connection == null) {
                // Skipped before its slot is given back: the slot's release sends held calls, none of them there.
                backend.traffic().suspect(backend, call.loop());
                backend.traffic().release(backend);
                retry(
                        call,
                        answer,
                        attempt,
                        "cannot reach instance " + backend.instanceId() + ": " + error.getMessage());
            } else {
                connection.send(
                        call,
                        answer,
                        () -> retry(
                                call,
                                answer,
                                attempt,
                                "instance " + backend.instanceId() + " went away before the call reached it"));
            }
        });
    }

    /** The call never reached an instance: try another (or wait for one), a few times, then 502. */
    private void retry(Call call, CompletableFuture<FullHttpResponse> answer, int attempt, String why) {
        if (attempt < ATTEMPTS) {
            dispatch(call, answer, attempt + 1);
        } else {
            call.request().release();
            answer.completeExceptionally(new InstanceFailedException(null, why + " (tried " + attempt + " instances)"));
        }
    }
}
