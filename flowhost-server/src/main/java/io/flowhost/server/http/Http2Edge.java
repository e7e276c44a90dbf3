package io.flowhost.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;

/**
 * The last handler of an HTTP/2 connection, as {@link EdgeHandler} is of an HTTP/1.1 one: closes it (with GOAWAY)
 * after the keep-alive timeout when no stream is open, never while a call is in progress, and closes it on an
 * error no stream took.
 */
final class Http2Edge extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final Http2FrameCodec codec;

    Http2Edge(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
                Level.INFO,
                "closing the HTTP/2 connection from " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }
}
