package io.flowhost.server.http;

import io.flowhost.gateway.Call;
import io.flowhost.gateway.CallPath;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.wire.netty.InOrderHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The edge of one caller connection: the platform's own headers removed from what the caller sent, the
 * path read once, a call to an instance handed to the gateway's pipeline, a table lookup answered at once, and
 * anything else handed to management,
 * and whatever comes back (an answer, or a failure that {@code Problems} turns into its problem) written
 * in the order the requests came.
 */
final class EdgeHandler extends InOrderHandler {

    private final CallHandler calls;
    private final ManagementRoutes management;
    private final ManagementGuard guard;

    EdgeHandler(CallHandler calls, ManagementRoutes management, ManagementGuard guard, long maxPipelinedBytes) {
        super(maxPipelinedBytes);
        this.calls = calls;
        this.management = management;
        this.guard = guard;
    }

    /** The call being answered, if the request in progress is one: told when its caller goes away. */
    private Call current;

    /** Requests read and not yet answered: an idle connection has none. */
    private int unanswered;

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        unanswered++;
        var uri = request.uri();
        InternalHeaders.remove(request.headers());
        var path = CallPath.parse(uri);
        CompletableFuture<FullHttpResponse> answer;
        try {
            FullHttpResponse inline;
            if (path == null && (inline = management.inline(request, reply.requestId())) != null) {
                request.release();
                answer = CompletableFuture.completedFuture(inline);
            } else if (path == null) {
                guard.check(
                        request.headers(),
                        ((InetSocketAddress) context().channel().localAddress()).getPort());
                answer = management.handle(
                        request, reply.requestId(), context().channel().remoteAddress());
            } else {
                var loop = context().channel().eventLoop();
                var call = Call.incoming(request, path, reply.requestId(), loop);
                call.source(context().channel().remoteAddress());
                current = call;
                answer = calls.handle(call);
            }
        } catch (RuntimeException e) {
            if (request.refCnt() > 0) {
                request.release();
            }
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            if (failure == null) {
                reply.send(response);
            } else {
                reply.fail(failure);
            }
        });
    }

    @Override
    protected void answered(Reply reply, HttpResponse response) {
        unanswered = Math.max(0, unanswered - 1); // an undecodable request is answered without being handled
        current = null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.callerGone();
            current = null;
        }
        super.channelInactive(ctx);
    }

    /** An idle keep-alive connection is closed after the keep-alive timeout; one with a call in progress is not. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && unanswered == 0) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
