package io.flowhost.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A caller must send a request's headers within the header timeout of its first byte (or of connecting), or
 * the connection is closed: a client that trickles half a header (slowloris) holds no socket for long. Two
 * handlers share it: {@link #bytes()} before the HTTP codec sees a request begin, {@link #requests()} after it
 * sees its headers complete.
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
