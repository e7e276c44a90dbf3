package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.BodyTooLargeException;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;

/**
 * Collects a request into one message up to a body limit; a larger body gets a 413 problem that
 * names the limit (as soon as the limit is passed, for a chunked body that declares no length), and the connection is closed, since the rest of the body is still on its way
 * (after a {@link LingeringClose lingering close}, so that the caller gets to read the 413).
 * A request collected before it came here (an {@link Upload}) passes as it is.
 */
public final class LimitedAggregator extends HttpObjectAggregator {

    private final int limit;
    private long received;
    private String requestId;
    private boolean refused;

    /** One limit for every request. */
    public LimitedAggregator(int maxBody) {
        super(maxBody);
        this.limit = maxBody;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpRequest request) {
            requestId = request.headers().get(Responses.REQUEST_ID);
            received = 0;
            refused = false;
        } else if (msg instanceof HttpContent content) {
            if (refused) {
                return; // the rest of a body already refused: dropped (the decoder releases it)
            }
            received += content.content().readableBytes();
            if (received > limit && !isHandlingOversizedMessage()) {
                // A chunked body declares no length, so it is counted as it comes and refused the moment it
                // passes the limit, instead of being collected up to it.
                refused = true;
                releaseCurrentMessage();
                LingeringClose.refuse(ctx, requestId, new BodyTooLargeException(-1, limit));
                return;
            }
        }
        super.decode(ctx, msg, out);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        // A caller that asks "Expect: 100-continue" with too large a body gets the same 413 problem as anyone,
        // instead of Netty's bare one; the aggregator then skips the body if it comes anyway.
        if (HttpUtil.is100ContinueExpected(start) && start instanceof HttpRequest) {
            long length = HttpUtil.getContentLength(start, -1L);
            if (length > limit) {
                var requestId = RequestIds.acceptOrNext(start.headers().get(Responses.REQUEST_ID));
                return Responses.problem(Problems.of(new BodyTooLargeException(length, limit), requestId));
            }
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        LingeringClose.refuse(
                ctx,
                oversized.headers().get(Responses.REQUEST_ID),
                new BodyTooLargeException(HttpUtil.getContentLength(oversized, -1L), limit));
    }
}
