package io.flowhost.server.http;

import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections open at once: past the cap a new connection gets 503 with Retry-After, saying why, and
 * is closed, so that idle or half-open sockets cannot use up the process's file descriptors and lock real
 * callers out.
 *
 * <p>On a TLS port a connection past the cap is closed before its handshake, with no answer: an answer would
 * cost a full handshake, the most expensive thing the server does for a connection, at the moment it has too
 * many; it counts from the moment it is accepted, handshake included, since that holds a descriptor too.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("flowhost.http");
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final boolean answers;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /** A cap that answers 503 over HTTP/1.1 (in a pipeline after the HTTP codec). */
    ConnectionCap(int max) {
        this(max, true);
    }

    /** @param answers whether a connection past the cap gets a 503 (after the codec) or is only closed (TLS) */
    ConnectionCap(int max, boolean answers) {
        this.max = max;
        this.answers = answers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() <= max) {
            ctx.fireChannelActive();
            return;
        }
        if (answers) {
            var requestId = RequestIds.next();
            var refusal = new NotReadyException(
                    "the server has " + max + " connections open, its limit" + " (--max-connections); retry shortly",
                    2);
            var response = Responses.problem(Problems.of(refusal, requestId));
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "refusing connections: " + max + " are open (--max-connections)");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** Connections open now, refused ones still closing included. */
    int open() {
        return open.get();
    }
}
