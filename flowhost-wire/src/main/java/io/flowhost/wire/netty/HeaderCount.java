package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.TooManyHeadersException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Refuses a request with more than {@link #MAX} headers (Tomcat's default), as the codec refuses one whose headers
 * pass their byte limit: the request is marked failed, so it is answered 431 and its connection closed. Within 8 KiB
 * a caller could otherwise send 2,000 one-letter headers, each an entry every handler after this one walks.
 */
@ChannelHandler.Sharable
public final class HeaderCount extends ChannelInboundHandlerAdapter {

    /** The most headers a request may have. */
    public static final int MAX = 100;

    /** The one instance: it keeps nothing. */
    public static final HeaderCount LIMIT = new HeaderCount();

    private HeaderCount() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request
                && request.decoderResult().isSuccess()
                && request.headers().size() > MAX) {
            request.setDecoderResult(DecoderResult.failure(
                    new TooManyHeadersException(request.headers().size(), MAX)));
        }
        ctx.fireChannelRead(msg);
    }
}
