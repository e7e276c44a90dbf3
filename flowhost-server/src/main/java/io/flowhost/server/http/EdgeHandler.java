package io.flowhost.server.http;

import io.flowhost.gateway.Call;
import io.flowhost.gateway.CallPath;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.wire.netty.InOrderHandler;
import io.flowhost.wire.netty.LimitedAggregator;
import io.flowhost.wire.protocol.BodyTooLargeException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The edge of one caller connection: the platform's own headers removed from what the caller sent, the
 * path read once, a call to an instance handed to the gateway's pipeline and anything else to management,
 * and whatever comes back (an answer, or a failure that {@code Problems} turns into its problem) written
 * in the order the requests came.
 */
final class EdgeHandler extends InOrderHandler {

    private final CallHandler calls;
    private final ManagementRoutes management;
    private final LimitedAggregator limits;

    EdgeHandler(CallHandler calls, ManagementRoutes management, LimitedAggregator limits) {
        this.calls = calls;
        this.management = management;
        this.limits = limits;
    }

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        var uri = request.uri();
        int limit = limits.limitOf(uri);
        if (request.content().readableBytes() > limit) {
            // A chunked body has no Content-Length for the aggregator to check against this path's limit.
            request.release();
            reply.fail(new BodyTooLargeException(-1, limit));
            return;
        }
        InternalHeaders.remove(request.headers());
        var path = CallPath.parse(uri);
        CompletableFuture<FullHttpResponse> answer;
        try {
            answer = path == null
                    ? management.handle(request, reply.requestId())
                    : calls.handle(Call.incoming(
                            request,
                            path,
                            reply.requestId(),
                            context().channel().eventLoop()));
        } catch (RuntimeException e) {
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
}
