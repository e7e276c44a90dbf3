package io.flowhost.wire.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The body of a streamed answer, written chunk by chunk by the thread that produces it (a handler's virtual thread),
 * never faster than the caller reads: {@link #write} waits while the connection's outbound buffer is past its high
 * water mark, so a slow reader slows the producer and memory stays flat. When the caller goes away the producing
 * thread is interrupted and every later write fails with {@link CallerGoneException}. The head is sent with the first
 * chunk, so that until then the call may still be answered whole ({@link #instead}).
 */
public final class ChunkWriter implements Relaying {

    /**
     * The outbound buffer of a connection that may carry streams: a writer waits past 1 MiB and goes on below 256 KiB.
     * Netty's default (64 KiB and 32 KiB) would stop and wake a writer of 64 KiB items at every item.
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final ChannelHandlerContext ctx;
    private final Thread producer;
    private final Consumer<ChannelFuture> ended;
    private final Consumer<FullHttpResponse> instead;
    private HttpResponse head; // written with the first chunk, in one task of the event loop: one packet, one wake-up
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private volatile boolean gone;
    private boolean finished;
    private long bytes;

    ChunkWriter(
            ChannelHandlerContext ctx,
            HttpResponse head,
            Consumer<ChannelFuture> ended,
            Consumer<FullHttpResponse> instead) {
        this.ctx = ctx;
        this.instead = instead;
        this.head = head;
        this.producer = Thread.currentThread();
        this.ended = ended;
    }

    /** Sends one chunk (owned, released once written), after waiting for the caller to have room for it. */
    public void write(ByteBuf chunk) throws InterruptedException, CallerGoneException {
        try {
            awaitRoom();
        } catch (InterruptedException | CallerGoneException e) {
            chunk.release();
            throw e;
        }
        bytes += chunk.readableBytes();
        var content = new DefaultHttpContent(chunk);
        if (head != null) {
            var first = head;
            head = null;
            ctx.executor().execute(() -> {
                ctx.write(first, ctx.voidPromise());
                ctx.writeAndFlush(content, ctx.voidPromise());
            });
            return;
        }
        ctx.writeAndFlush(content, ctx.voidPromise());
    }

    /** Ends the stream, with {@code last} (owned; may be empty) as its final chunk. */
    public void end(ByteBuf last) {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
        bytes += last.readableBytes();
        LastHttpContent content = new DefaultLastHttpContent(last);
        if (head != null) { // a stream of no items
            ctx.write(head, ctx.voidPromise());
            head = null;
        }
        ctx.writeAndFlush(content).addListener((ChannelFuture written) -> ended.accept(written));
    }

    /**
     * Answers with {@code response}, whole, in place of the stream: for a failure before its first chunk, which the
     * caller then gets with its own status. Nothing may have been written.
     */
    public void instead(FullHttpResponse response) {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
        if (head == null) {
            response.release();
            throw new IllegalStateException("the stream has begun: end it instead");
        }
        head = null;
        instead.accept(response);
    }

    /** The bytes of body written so far. */
    public long bytes() {
        return bytes;
    }

    /** Whether the caller has gone: nothing written reaches it any more. */
    public boolean callerHasGone() {
        return gone;
    }

    private void awaitRoom() throws InterruptedException, CallerGoneException {
        if (ctx.channel().isWritable() && !gone) {
            return;
        }
        lock.lock();
        try {
            while (!ctx.channel().isWritable() && !gone) {
                // woken by writabilityChanged; the timeout only guards against a wake-up lost to a closed channel
                room.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
        if (gone) {
            throw new CallerGoneException();
        }
    }

    @Override
    public void writabilityChanged() {
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void callerGone() {
        lock.lock();
        try {
            gone = true;
            if (!finished) {
                producer.interrupt(); // a handler blocked in its own work (a sleep, a queue) stops too
            }
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The caller closed its connection while the stream was being written. */
    public static final class CallerGoneException extends Exception {
        public CallerGoneException() {
            super("the caller closed its connection before the stream ended", null, false, false);
        }
    }
}
