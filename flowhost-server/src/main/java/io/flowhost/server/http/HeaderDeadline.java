package io.flowhost.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A caller must send a request's headers within the header timeout of its first byte (or of connecting), or
 * the connection is closed: a client that trickles half a header (slowloris) holds no socket for long. Two
 * handlers share it: {@link #bytes()} before the HTTP codec sees a request begin, {@link #requests()} after it
 * sees its headers complete.
 *
 * <p>On a TLS port {@link #bytes()} comes before the TLS handler, so the clock runs through the handshake too: a
 * client that connects and never says hello is closed as one that never sends headers. Over HTTP/2 the clock
 * stops at the first stream's headers ({@link #firstStream()}) and is not started again: streams come and go at
 * once on one connection, each HEADERS frame arrives whole (the frame decoder bounds it), and an idle connection
 * is the keep-alive timeout's.
 */
final class HeaderDeadline {

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;
    private boolean awaitingHeaders;
    private boolean inBody;

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Before the codec: a connection opening, or bytes arriving while no request is being read, start the clock. */
    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                start(ctx);
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!awaitingHeaders && !inBody) {
                    start(ctx);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                stop();
                ctx.fireChannelInactive();
            }
        };
    }

    /**
     * After the codec: a request's headers arrived, in time; its body's bytes do not start the clock again (an
     * upload may take long; the body limit bounds it), the next request's do.
     */
    ChannelInboundHandlerAdapter requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    stop();
                    inBody = true;
                }
                if (msg instanceof LastHttpContent) {
                    inBody = false;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /**
     * After the HTTP/2 frame codec: the first stream's headers arrived, in time; from then on bytes start no clock
     * (see the class), and the handler leaves the pipeline.
     */
    ChannelInboundHandlerAdapter firstStream() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2HeadersFrame) {
                    stop();
                    inBody = true; // for good: bytes() no longer starts the clock
                    ctx.pipeline().remove(this);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        awaitingHeaders = true;
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> expired(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        awaitingHeaders = false;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expired(ChannelHandlerContext ctx) {
        deadline = null;
        if (awaitingHeaders && ctx.channel().isActive()) {
            LOG.log(
                    Level.DEBUG,
                    "closing " + ctx.channel().remoteAddress() + ": no complete request headers within "
                            + Duration.ofNanos(timeoutNanos).toMillis() + " ms (--header-timeout)");
            ctx.close();
        }
    }
}
