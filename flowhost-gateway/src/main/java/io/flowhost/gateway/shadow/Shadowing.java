package io.flowhost.gateway.shadow;

import io.flowhost.gateway.Call;
import io.flowhost.gateway.Forwarder;
import io.flowhost.gateway.Route;
import io.flowhost.gateway.Target;
import io.flowhost.wire.netty.StreamedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Shadow traffic: a call goes to the primary, and once the primary's answer is on its way to the caller a copy goes
 * to the shadow, if one of its instances has room now (else it is dropped and counted: a copy is never held, so it
 * never delays or fails the caller). The two answers are compared and reported.
 */
public final class Shadowing {

    /** Bodies larger than this are not kept for comparing: only the statuses are compared. */
    static final int KEEP_BYTES = 64 * 1024;

    private final Forwarder forwarder;
    private final ShadowObserver observer;

    public Shadowing(Forwarder forwarder, ShadowObserver observer) {
        this.forwarder = forwarder;
        this.observer = observer;
    }

    /** The primary's answer to the call; the copy to {@code shadow} follows it. */
    public CompletableFuture<FullHttpResponse> forward(Call call, Route shadow) {
        FullHttpRequest copy = call.request().retainedDuplicate(); // headers of its own, the same bytes
        byte[] request = kept(copy.content());
        long start = System.nanoTime();
        return forwarder.forward(call).whenComplete((answer, failure) -> {
            if (failure != null) {
                copy.release(); // nothing to compare the shadow with
                return;
            }
            long primaryNanos = System.nanoTime() - start;
            int status = answer.status().code();
            // a streamed answer is relayed, not held: only its status is compared
            byte[] body = answer instanceof StreamedResponse ? null : kept(answer.content());
            // Queued behind this task, which writes the primary's answer: the copy goes once the answer has left.
            call.loop().execute(() -> copy(call, shadow, copy, request, status, primaryNanos, body));
        });
    }

    private void copy(
            Call call,
            Route shadow,
            FullHttpRequest copy,
            byte[] request,
            int primaryStatus,
            long primaryNanos,
            byte[] primaryBody) {
        var endpoint = call.path().endpoint();
        var copied = Call.incoming(copy, call.path(), call.requestId(), call.loop());
        copied.target(Target.of(shadow, endpoint));
        copied.wantWholeAnswer();
        shadow.traffic().arrived();
        long start = System.nanoTime();
        var answer = forwarder.tryForward(copied);
        if (answer == null) {
            observer.dropped(shadow.deployment());
            return;
        }
        var tolerance = shadow.deployment().rollout().tolerance();
        answer.whenComplete((response, failure) -> {
            long shadowNanos = System.nanoTime() - start;
            int status = response == null ? 502 : response.status().code();
            byte[] body = response == null ? null : kept(response.content());
            if (response != null) {
                response.release();
            }
            var difference = Agreement.differs(primaryStatus, primaryBody, status, body, tolerance);
            observer.compared(new ShadowPair(
                    call.target().deployment(),
                    shadow.deployment(),
                    endpoint,
                    call.requestId(),
                    request,
                    primaryStatus,
                    primaryNanos,
                    primaryBody,
                    status,
                    shadowNanos,
                    body,
                    difference));
        });
    }

    private static byte[] kept(ByteBuf content) {
        return content.readableBytes() > KEEP_BYTES ? null : ByteBufUtil.getBytes(content);
    }
}
