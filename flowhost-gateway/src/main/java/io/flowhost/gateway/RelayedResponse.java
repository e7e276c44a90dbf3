package io.flowhost.gateway;

import io.flowhost.domain.instance.InstanceFailedException;
import io.flowhost.domain.instance.InstanceTimeoutException;
import io.flowhost.wire.netty.ReadGate;
import io.flowhost.wire.netty.StreamedResponse;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.StreamFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An instance's streamed answer on its way to the caller: each chunk written to the caller's connection as it is read
 * from the instance's, on their one event loop. Backpressure is TCP's own: while the caller's connection is past its
 * high water mark the instance's is not read, so the instance's writes stall and its handler waits, and the gateway
 * holds at most one read's worth of a stream. A caller that goes away closes the instance's connection (which stops the
 * handler there); an instance that goes away mid-stream ends it with an error in the stream's framing, and so does one
 * that sends nothing for the request timeout while the caller is reading (a stream has no deadline as a whole, but a
 * hung handler must not hold its caller and its slot for ever).
 */
final class RelayedResponse extends StreamedResponse {

    private final Channel instance;
    private final StreamFormat format;
    private final String requestId;
    private final String instanceId;
    private final Runnable exchangeOver;
    private final long idleTimeoutNanos;
    private final ArrayDeque<HttpContent> early = new ArrayDeque<>(); // read before the caller's side was ready
    private ChannelHandlerContext caller;
    private Consumer<ChannelFuture> ended;
    private boolean done;
    private boolean broken;
    private long bytes;
    private long lastHeard = System.nanoTime(); // from the instance, or since the caller was last ready for more
    private ScheduledFuture<?> idleWatch;

    /**
     * @param exchangeOver gives the instance's connection and slot back once the last chunk has been read
     * @param idleTimeout how long the instance may send nothing while the caller is ready for more
     */
    RelayedResponse(
            StreamedAnswers.Head head,
            Channel instance,
            String requestId,
            String instanceId,
            Runnable exchangeOver,
            Duration idleTimeout) {
        super(head.response().status(), head.response().headers());
        this.instance = instance;
        this.format = head.format();
        this.requestId = requestId;
        this.instanceId = instanceId;
        this.exchangeOver = exchangeOver;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        watchIdle(idleTimeoutNanos);
    }

    /** A chunk read from the instance. */
    void chunk(HttpContent content) {
        lastHeard = System.nanoTime();
        if (done) {
            content.release();
            return;
        }
        if (caller == null) {
            early.add(content);
            ReadGate.close(instance);
            return;
        }
        forward(content);
    }

    /** The instance's reads are over for now: what was written goes out. */
    void flush() {
        if (caller != null && !done) {
            caller.flush();
        }
    }

    /** The instance's connection closed before the last chunk. */
    void instanceGone() {
        if (done) {
            return;
        }
        broken = true;
        if (caller != null) {
            endWithError();
        }
    }

    @Override
    protected void relay(ChannelHandlerContext caller, Consumer<ChannelFuture> ended) {
        this.caller = caller;
        lastHeard = System.nanoTime();
        this.ended = ended;
        while (!early.isEmpty() && !done) {
            forward(early.poll());
        }
        if (broken && !done) {
            endWithError();
        }
        if (!done) {
            // flushed after the instance's read that brought the head is over (which usually holds the first chunk
            // too, so that both go in one write), or by this task when the relay starts later than that read
            caller.executor().execute(this::flush);
            if (caller.channel().isWritable()) {
                ReadGate.open(instance);
            }
        }
    }

    @Override
    protected void writabilityChanged() {
        if (!done && caller.channel().isWritable()) {
            lastHeard = System.nanoTime(); // the instance's silence until now was the caller's doing
            ReadGate.open(instance);
        }
    }

    @Override
    protected void callerGone() {
        if (done) {
            return;
        }
        done = true;
        idleWatch.cancel(false);
        early.forEach(HttpContent::release);
        early.clear();
        instance.close(); // the instance hears it and stops the handler
        ended(bytes);
    }

    private void watchIdle(long delayNanos) {
        idleWatch = instance.eventLoop().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Ends the stream if the instance has sent nothing for the idle timeout while the caller was ready for more. */
    private void checkIdle() {
        if (done) {
            return;
        }
        long quiet = System.nanoTime() - lastHeard;
        boolean callerReady = caller != null && caller.channel().isWritable();
        if (quiet < idleTimeoutNanos || !callerReady) {
            watchIdle(callerReady ? idleTimeoutNanos - quiet : idleTimeoutNanos);
            return;
        }
        endWithError(new InstanceTimeoutException(
                instanceId,
                "instance " + instanceId + " sent nothing for " + idleTimeoutNanos / 1_000_000 + " ms in the middle"
                        + " of the stream (the server's --request-timeout); its handler was stopped"));
        instance.close(); // the instance hears it and stops the handler; the closing gives its slot back
    }

    private void forward(HttpContent content) {
        bytes += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            done = true;
            ReadGate.open(instance); // back to the pool reading, as every idle connection is
            exchangeOver.run();
            finish(caller.writeAndFlush(content));
            return;
        }
        caller.write(content, caller.voidPromise());
        if (!caller.channel().isWritable()) {
            // closed before the flush: a flush that empties the buffer says so at once (writabilityChanged), and
            // that must find the gate closed to open it
            ReadGate.close(instance);
            caller.flush();
        }
    }

    private void endWithError() {
        endWithError(new InstanceFailedException(
                instanceId,
                "instance " + instanceId + " closed the connection in the middle of the stream (it may have crashed)"));
    }

    private void endWithError(RuntimeException why) {
        done = true;
        var problem = Problems.of(why, requestId);
        var error = format.error(problem);
        bytes += error.length;
        finish(caller.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(error))));
    }

    private void finish(ChannelFuture last) {
        idleWatch.cancel(false);
        ended.accept(last);
        ended(bytes);
    }
}
