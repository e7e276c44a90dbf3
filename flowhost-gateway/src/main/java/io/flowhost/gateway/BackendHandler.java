package io.flowhost.gateway;

import io.flowhost.domain.instance.InstanceFailedException;
import io.flowhost.domain.instance.InstanceTimeoutException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection from the gateway to an instance, carrying one call at a time. It
 * runs on the event loop of the caller's connection, so a call never changes threads. A call
 * that never got onto the wire (the instance had gone) is handed back to be sent elsewhere; one
 * that did and got no answer is a 502 (it may have run), or a 504 after the request timeout.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private final BackendPool pool;
    private final Backend backend;
    private final Duration timeout;
    private Channel channel;
    private Call current;
    private CompletableFuture<FullHttpResponse> answer;
    private FullHttpRequest unsent; // held (retained) until the answer comes, to retry elsewhere
    private boolean written;
    private Runnable retry;
    private ScheduledFuture<?> timer;
    private long idleSince = System.nanoTime();
    private RelayedResponse streaming; // the streamed answer being relayed, once its head came
    private StreamedAnswers streams;
    private boolean callerLeft;

    BackendHandler(BackendPool pool, Backend backend, Duration timeout) {
        this.pool = pool;
        this.backend = backend;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Not channelActive: the connect future's listeners, which send the first call, run before it.
        channel = ctx.channel();
        streams = ctx.pipeline().get(StreamedAnswers.class);
    }

    /** How long the connection has been without a call. */
    long idleNanos() {
        return current == null ? System.nanoTime() - idleSince : 0;
    }

    /**
     * Sends the call on this connection, whose slot on the backend is already reserved, and completes
     * {@code answer} with the instance's answer; if it cannot be written, the call gets its request back
     * (unread) and {@code retry} sends it elsewhere.
     */
    void send(Call call, CompletableFuture<FullHttpResponse> answer, Runnable retry) {
        current = call;
        this.answer = answer;
        this.retry = retry;
        var request = call.request();
        // A duplicate: it shares the bytes but not the read position, which writing the original moves to the end.
        unsent = request.retainedDuplicate();
        written = false;
        callerLeft = false;
        streams.relay(!call.wholeAnswer());
        if (call.target() != null && call.target().streams() && !call.wholeAnswer()) {
            // A streaming handler is stopped when its caller goes, even before its first item: the instance hears it
            // as this connection closing (once the stream has begun, the relay does the same)
            call.onCallerGone(() -> {
                if (current == call && streaming == null) {
                    callerLeft = true;
                    channel.close();
                }
            });
        }
        timer = channel.eventLoop().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        channel.writeAndFlush(request).addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                written = true;
            } else {
                notSent();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StreamedAnswers.Chunk chunk) {
            if (streaming != null) {
                streaming.chunk(chunk.content());
            } else {
                chunk.content().release();
            }
            return;
        }
        if (msg instanceof StreamedAnswers.Head head && answer != null) {
            streamStarted(head);
            return;
        }
        var waiting = answer;
        var call = finish();
        if (call == null || !(msg instanceof FullHttpResponse response)) {
            // An answer nobody waits for any more (the call timed out): drop it and the connection.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        dropUnsent();
        if (call.record() != null) {
            call.record().instanceAnswered();
        }
        // Back to the pool before the answer goes out: sending it starts the caller's next pipelined
        // call at once, which should find this connection free rather than open another.
        if (HttpUtil.isKeepAlive(response)) {
            pool.release(backend, channel);
        } else {
            ctx.close();
        }
        waiting.complete(response);
    }

    /**
     * A streamed answer's head: the caller gets it now and its chunks as they come. The call keeps its slot on the
     * instance until the last chunk (the instance is busy producing until then); the request timeout, which is for a
     * first answer, stops here, and from here it bounds the silences within the stream.
     */
    private void streamStarted(StreamedAnswers.Head head) {
        var waiting = answer;
        var call = current;
        answer = null;
        retry = null;
        timer.cancel(false);
        dropUnsent();
        if (call.record() != null) {
            call.record().instanceAnswered();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(head.response());
        streaming = new RelayedResponse(
                head,
                channel,
                call.requestId(),
                backend.instanceId(),
                () -> {
                    streaming = null;
                    current = null;
                    idleSince = System.nanoTime();
                    backend.traffic().release(backend);
                    if (keepAlive && channel.isActive()) {
                        pool.release(backend, channel);
                    } else {
                        channel.close();
                    }
                },
                timeout);
        waiting.complete(streaming);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (streaming != null) {
            streaming.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.discard(backend, channel);
        if (streaming != null) {
            var broken = streaming;
            streaming = null;
            broken.instanceGone();
            current = null;
            backend.traffic().release(backend);
            ctx.fireChannelInactive();
            return;
        }
        // Never written: the instance cannot have seen the call, so it may go elsewhere. Once written, even a
        // reset does not prove the instance did not read it (seen: a reset for a call whose handler was running).
        if (unsent != null && !written && !callerLeft) {
            notSent();
        } else {
            dropUnsent();
            var waiting = answer;
            if (current != null && !callerLeft) {
                // Dropped mid-call: a crash, most likely, and a dying process's listener can outlive its connections
                // by a moment (the kernel closes them one by one), taking a next call that nobody will answer. So the
                // instance gets no calls until the supervisor has had time to hear of it.
                backend.traffic().suspect(backend, channel.eventLoop());
            }
            if (finish() != null) {
                waiting.completeExceptionally(new InstanceFailedException(
                        backend.instanceId(),
                        callerLeft
                                ? "the caller went away before the stream began: its handler on instance "
                                        + backend.instanceId() + " was stopped"
                                : "instance " + backend.instanceId() + " closed the connection before answering (it"
                                        + " may have crashed); the call may or may not have run"));
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void dropUnsent() {
        if (unsent != null) {
            unsent.release();
            unsent = null;
        }
    }

    private void notSent() {
        var request = unsent;
        unsent = null;
        var again = retry;
        var call = finish();
        if (call != null && request != null) {
            call.request(request);
            again.run();
        } else if (request != null) {
            request.release();
        }
    }

    private void timedOut() {
        if (streaming != null) {
            return; // answered: a stream has no deadline
        }
        dropUnsent();
        var waiting = answer;
        if (finish() != null) {
            waiting.completeExceptionally(new InstanceTimeoutException(
                    backend.instanceId(),
                    "instance " + backend.instanceId() + " did not answer within " + timeout.toMillis()
                            + " ms (the server's --request-timeout)"));
            channel.close();
        }
    }

    /** Ends the exchange in progress, if any: stops its timer and gives the backend's slot back. */
    private Call finish() {
        var call = current;
        if (call != null) {
            current = null;
            answer = null;
            idleSince = System.nanoTime();
            retry = null;
            timer.cancel(false);
            backend.traffic().release(backend);
        }
        return call;
    }
}
