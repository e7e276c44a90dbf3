package io.flowhost.runtime.netty;

import io.flowhost.runtime.protocol.Problem;
import io.flowhost.runtime.protocol.ProblemType;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.buffer.Unpooled;

/**
 * Collects a request into one message up to a body limit; a larger body gets a 413 problem that
 * names the limit, and the connection is closed, since the rest of the body is still on its way.
 */
public final class LimitedAggregator extends HttpObjectAggregator {

    private final int maxBody;

    public LimitedAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        var requestId = RequestIds.acceptOrNext(oversized.headers().get(Responses.REQUEST_ID));
        var length = oversized.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        var detail = "the request body" + (length == null ? "" : " (" + length + " bytes)") + " is over the limit of "
                + maxBody + " bytes; send less, or raise the server's --max-body";
        var problem = Problem.of(ProblemType.BODY_TOO_LARGE, detail, requestId).with("limit", maxBody);
        var response = Responses.response(413, Responses.PROBLEM_JSON, Unpooled.wrappedBuffer(problem.toJson()),
                requestId);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
