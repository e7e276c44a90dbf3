package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Sends a last response to a caller that may still be sending its request, and then closes the
 * connection without losing that response.
 *
 * <p>Closing a socket whose unread input still holds the caller's bytes makes the kernel reset the
 * connection, and a reset can discard the response before the caller reads it: the caller then sees
 * a dropped connection instead of the 413 that says what was wrong. So the server sends the response,
 * shuts down its own side, and reads and discards what still comes, until the caller closes or
 * {@link #LINGER_MILLIS} pass (the same "lingering close" web servers have long done).
 */
final class LingeringClose {

    /** How long a caller has to stop sending after the last response before the connection is cut. */
    static final long LINGER_MILLIS = 2_000;

    private static final ChannelHandler DISCARD = new Discard();

    private LingeringClose() {}

    /** Writes the response and ends the connection as the class describes. */
    static void write(ChannelHandlerContext ctx, Object response) {
        var channel = ctx.channel();
        channel.pipeline().addFirst(DISCARD);
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    /**
     * Refuses a request whose body is still coming: its problem, with {@code Connection: close}, written as
     * {@link #write} does.
     */
    static void refuse(ChannelHandlerContext ctx, String requestId, Throwable reason) {
        var response = Responses.problem(Problems.of(reason, RequestIds.acceptOrNext(requestId)));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        write(ctx, response);
    }

    /** Drops every read; the caller's end of input then closes the channel (half-closure is not allowed). */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
