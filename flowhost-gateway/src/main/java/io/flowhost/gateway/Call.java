package io.flowhost.gateway;

import io.flowhost.gateway.observe.CallRecord;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.AsciiString;
import io.opentelemetry.api.trace.Span;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * One call on its way through the gateway: the request (owned, released once sent or refused), where it
 * came from, how it is to be answered, and what the pipeline learns of it on the way (its target, its
 * record, its span). It is handled on one event loop, so it needs no locks.
 */
public final class Call {

    /** How a call is answered. */
    public enum Mode {
        /** Now, by an instance. */
        SYNC,
        /** Later: it goes into the durable queue and the caller gets 202 and where to look. */
        ASYNC,
        /** A queued call being run by the dispatcher: answered now, to the dispatcher, never queued again. */
        ASYNC_RUN
    }

    private static final AsciiString PREFER = AsciiString.cached("Prefer");

    private FullHttpRequest request;
    private final CallPath path;
    private final String requestId;
    private final EventLoop loop;
    private final Mode mode;
    private final String asyncRequestId;
    private final String deploymentId;
    private final long queuedMillis;
    private Runnable onCallerGone;
    private boolean callerGone;
    private Target target;
    private Route shadow;
    private CallRecord record;
    private Span span;
    private SocketAddress source;
    private boolean whole;

    private Call(
            FullHttpRequest request,
            CallPath path,
            String requestId,
            EventLoop loop,
            Mode mode,
            String asyncRequestId,
            String deploymentId,
            long queuedMillis) {
        this.request = request;
        this.path = path;
        this.requestId = requestId;
        this.loop = loop;
        this.mode = mode;
        this.asyncRequestId = asyncRequestId;
        this.deploymentId = deploymentId;
        this.queuedMillis = queuedMillis;
    }

    /**
     * A caller's call: queued when it asks so ({@code Prefer: respond-async}, RFC 7240, or {@code ?async=true}),
     * except for a model's routes, which are always answered now.
     */
    public static Call incoming(FullHttpRequest request, CallPath path, String requestId, EventLoop loop) {
        var mode = !path.model() && (path.asyncQuery() || prefersAsync(request)) ? Mode.ASYNC : Mode.SYNC;
        return new Call(request, path, requestId, loop, mode, null, null, -1);
    }

    /**
     * A queued call that the dispatcher runs now, after it waited {@code queuedMillis} in the queue, on the deployment
     * that accepted it.
     */
    public static Call asyncRun(
            FullHttpRequest request,
            CallPath path,
            String requestId,
            EventLoop loop,
            String asyncRequestId,
            String deploymentId,
            long queuedMillis) {
        return new Call(request, path, requestId, loop, Mode.ASYNC_RUN, asyncRequestId, deploymentId, queuedMillis);
    }

    private static boolean prefersAsync(FullHttpRequest request) {
        var headers = request.headers();
        if (!headers.contains(PREFER)) { // most calls: one lookup, no list
            return false;
        }
        for (var prefer : headers.getAll(PREFER)) {
            for (var token : prefer.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).startsWith("respond-async")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the call's answer is wanted whole even when the endpoint streams it: an async run stores it, a shadow's
     * copy is compared. Other calls have a streamed answer relayed as it comes.
     */
    public boolean wholeAnswer() {
        return whole || mode == Mode.ASYNC_RUN;
    }

    /** Asks for the answer whole (see {@link #wholeAnswer()}). */
    public void wantWholeAnswer() {
        this.whole = true;
    }

    public FullHttpRequest request() {
        return request;
    }

    /** The request to send again after an attempt that never reached an instance: the bytes unread. */
    void request(FullHttpRequest again) {
        this.request = again;
    }

    public CallPath path() {
        return path;
    }

    /** The call's id: the caller's {@code X-Request-Id} if sensible, else a new one. */
    public String requestId() {
        return requestId;
    }

    /** The event loop the call is handled on; its answer completes there. */
    /** Where the call came from (the caller's address), for what the gateway records of it; null when not known. */
    public SocketAddress source() {
        return source;
    }

    /** Sets where the call came from. */
    public void source(SocketAddress address) {
        this.source = address;
    }

    public EventLoop loop() {
        return loop;
    }

    public Mode mode() {
        return mode;
    }

    /** For {@link Mode#ASYNC_RUN}: the queued request's id; else null. */
    public String asyncRequestId() {
        return asyncRequestId;
    }

    /** For {@link Mode#ASYNC_RUN}: the deployment that accepted it; else null. */
    public String deploymentId() {
        return deploymentId;
    }

    /** For {@link Mode#ASYNC_RUN}: how long it waited in the queue; else -1. */
    public long queuedMillis() {
        return queuedMillis;
    }

    /** The caller closed its connection before the answer: whatever waits on its behalf may stop. */
    public void callerGone() {
        callerGone = true;
        var hook = onCallerGone;
        onCallerGone = null;
        if (hook != null) {
            hook.run();
        }
    }

    /** Runs {@code hook} if the caller goes away before the call is answered (at once if it has); one at a time. */
    void onCallerGone(Runnable hook) {
        if (callerGone) {
            hook.run();
        } else {
            onCallerGone = hook;
        }
    }

    /** Where the call goes, once its service is found; null before, or when there is none. */
    public Target target() {
        return target;
    }

    public void target(Target target) {
        this.target = target;
    }

    /** The call's record for the request log and metrics, or null when calls are not observed. */
    /** The shadow this call's copy goes to, or null. */
    public Route shadow() {
        return shadow;
    }

    public void shadow(Route route) {
        this.shadow = route;
    }

    public CallRecord record() {
        return record;
    }

    public void record(CallRecord record) {
        this.record = record;
    }

    /** The gateway's span of the call, or null when tracing is off. */
    public Span span() {
        return span;
    }

    public void span(Span span) {
        this.span = span;
    }
}
