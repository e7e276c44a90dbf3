package io.flowhost.server.gateway;

import io.flowhost.runtime.netty.InOrderHandler.Reply;
import io.flowhost.runtime.protocol.Problem;
import io.flowhost.runtime.protocol.ProblemType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection from the gateway to an instance, carrying one call at a time. It
 * runs on the event loop of the caller's connection, so a call never changes threads.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private final BackendPool pool;
    private final Backend backend;
    private final Duration timeout;
    private Channel channel;
    private Reply current;
    private ScheduledFuture<?> timer;

    BackendHandler(BackendPool pool, Backend backend, Duration timeout) {
        this.pool = pool;
        this.backend = backend;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Not channelActive: the connect future's listeners, which send the first call, run before it.
        channel = ctx.channel();
    }

    /** Sends the request; the answer, a timeout or a broken connection completes the exchange. */
    void send(FullHttpRequest request, Reply exchange) {
        current = exchange;
        backend.begin();
        timer = channel.eventLoop().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        channel.writeAndFlush(request, channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        var exchange = finish();
        if (exchange == null || !(msg instanceof FullHttpResponse response)) {
            // An answer nobody waits for any more (the call timed out): drop it and the connection.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        // Back to the pool before the answer goes out: sending it starts the caller's next pipelined
        // call at once, which should find this connection free rather than open another.
        if (HttpUtil.isKeepAlive(response)) {
            pool.release(backend, channel);
        } else {
            ctx.close();
        }
        exchange.send(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.discard(backend, channel);
        var exchange = finish();
        if (exchange != null) {
            exchange.problem(Problem.of(ProblemType.INSTANCE_FAILED, "instance " + backend.instanceId()
                    + " closed the connection before answering (it may have crashed); the call may or may not have run",
                    exchange.requestId()).with("instance", backend.instanceId()));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void timedOut() {
        var exchange = finish();
        if (exchange != null) {
            exchange.problem(Problem.of(ProblemType.INSTANCE_TIMEOUT, "instance " + backend.instanceId()
                    + " did not answer within " + timeout.toMillis() + " ms (the server's --request-timeout)",
                    exchange.requestId()).with("instance", backend.instanceId()));
            channel.close();
        }
    }

    private Reply finish() {
        var exchange = current;
        if (exchange != null) {
            current = null;
            timer.cancel(false);
            backend.end();
        }
        return exchange;
    }
}
