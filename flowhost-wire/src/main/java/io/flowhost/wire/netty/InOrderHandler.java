package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import javax.net.ssl.SSLException;

/**
 * One HTTP/1.1 connection's requests, answered one at a time and in the order they came, as the
 * protocol requires of pipelined requests, however long each takes and on whatever thread its
 * answer is made. Requests Netty could not decode get 400, 414 or 431 (see {@link Problems}) and the connection closes.
 *
 * <p>Requests waiting behind the one being answered are bounded: past {@link #MAX_WAITING} of them, or past the
 * pipelined-bytes limit, the connection is not read until they drain (TCP then slows the caller down), so that
 * one connection can neither fill the server's memory nor pass the HTTP codec's pipeline depth. The pipeline needs
 * a {@link ReadGate} first for that to hold: the codecs ask for reads of their own.
 */
public abstract class InOrderHandler extends ChannelInboundHandlerAdapter {

    /** Requests that may wait behind the one being answered before reading stops: well under the codec's depth. */
    static final int MAX_WAITING = 64;

    /** The pipelined-bytes limit when none is given. */
    public static final long DEFAULT_MAX_WAITING_BYTES = 16L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private final long maxWaitingBytes;
    private long waitingBytes;
    private boolean paused;
    private ChannelHandlerContext ctx;
    private boolean busy;
    private Relaying relaying; // the streamed answer being written, if one is

    /** A handler whose connection may queue {@link #DEFAULT_MAX_WAITING_BYTES} of requests. */
    protected InOrderHandler() {
        this(DEFAULT_MAX_WAITING_BYTES);
    }

    /** A handler whose connection may queue this many bytes of requests behind the one being answered. */
    protected InOrderHandler(long maxWaitingBytes) {
        this.maxWaitingBytes = maxWaitingBytes;
    }

    /** Answers one request through {@code reply}, now or later, from any thread; owns (and releases) the request. */
    protected abstract void handle(FullHttpRequest request, Reply reply);

    /**
     * Told of each answer just before it is written (a streamed one once its last chunk is), on the connection's event
     * loop; for logs and metrics.
     */
    protected void answered(Reply reply, HttpResponse response) {}

    /** The connection's context, for subclasses that need its event loop or allocator. */
    protected final ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.addLast(request);
            waitingBytes += request.content().readableBytes();
            if (!paused && (waiting.size() >= MAX_WAITING || waitingBytes >= maxWaitingBytes)) {
                paused = true;
                ReadGate.close(ctx.channel());
            }
        } else {
            start(request);
        }
    }

    private void start(FullHttpRequest request) {
        busy = true;
        var reply = new Reply(
                RequestIds.acceptOrNext(request.headers().get(Responses.REQUEST_ID)), HttpUtil.isKeepAlive(request));
        if (request.decoderResult().isFailure()) {
            request.release();
            reply.closeAfter = true;
            var refused = request.decoderResult().cause();
            // All the decoder refused is the caller's doing, though Netty says some of it (two Content-Lengths) with
            // an IllegalArgumentException
            reply.fail(
                    refused instanceof DecoderException
                            ? refused
                            : new DecoderException(refused.getMessage(), refused));
            return;
        }
        handle(request, reply);
    }

    private void next() {
        busy = false;
        var request = waiting.pollFirst();
        if (request != null) {
            waitingBytes -= request.content().readableBytes();
            if (paused && waiting.size() < MAX_WAITING / 2 && waitingBytes < maxWaitingBytes / 2) {
                paused = false;
                ReadGate.open(ctx.channel());
            }
            start(request);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (relaying != null) {
            relaying.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (relaying != null) {
            relaying.callerGone();
            relaying = null;
        }
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A caller that resets a connection with nothing on it has only gone away (every load tester does on
        // stopping): routine, so it is left out of the log unless asked for; one in the middle of a call is not.
        boolean idle = !busy && waiting.isEmpty();
        LOG.log(
                idle && cause instanceof IOException && !(cause instanceof SSLException) ? Level.DEBUG : Level.INFO,
                "closing the connection from " + ctx.channel().remoteAddress() + ": " + cause);
        if (cause instanceof DecoderException
                && !busy
                && waiting.isEmpty()
                && ctx.channel().isActive()) {
            // A head the codec threw on (a Content-Length no number holds) rather than marked: when it is next in
            // line, the caller hears why before the connection closes
            busy = true; // nothing more is answered: a decoder that threw once may throw again on what follows
            var reply = new Reply(RequestIds.next(), false);
            reply.closeAfter = true;
            reply.fail(cause);
            return;
        }
        ctx.close();
    }

    /** The way back to the caller of one request; the first answer sent is the one that counts. */
    public final class Reply {
        private final String requestId;
        private final boolean keepAlive;
        private boolean closeAfter;
        private Object attachment;

        Reply(String requestId, boolean keepAlive) {
            this.requestId = requestId;
            this.keepAlive = keepAlive;
        }

        /** Something the handler keeps with this call until it is answered (its log record, say). */
        public void attach(Object value) {
            this.attachment = value;
        }

        /** What the handler attached, or null. */
        public Object attachment() {
            return attachment;
        }

        /** The request's id: the caller's {@code X-Request-Id} if sensible, else a new one. */
        public String requestId() {
            return requestId;
        }

        /** Sends the response (from any thread); the next request on the connection goes after it. */
        public void send(FullHttpResponse response) {
            if (ctx.executor().inEventLoop()) {
                write(response);
            } else {
                ctx.executor().execute(() -> write(response));
            }
        }

        /**
         * Starts a streamed answer with this head, sent with its first chunk (from any thread); its body follows through
         * the writer returned, chunk by chunk, from the calling thread, which from now on is interrupted if the caller
         * goes away. The next request on the connection goes after the writer's {@link ChunkWriter#end end} (or the
         * whole answer it sent {@link ChunkWriter#instead instead}).
         */
        public ChunkWriter stream(HttpResponse head) {
            var headers = head.headers();
            if (!headers.contains(Responses.REQUEST_ID)) {
                headers.set(Responses.REQUEST_ID, requestId);
            }
            boolean keep = chunked(head, keepAlive && !closeAfter);
            var writer = new ChunkWriter(
                    ctx,
                    head,
                    last -> streamEnded(head, last, keep),
                    whole -> ctx.executor().execute(() -> {
                        relaying = null;
                        write(whole);
                    }));
            ctx.executor().execute(() -> {
                relaying = writer;
                if (!ctx.channel().isActive()) {
                    writer.callerGone();
                }
            });
            return writer;
        }

        /** The head of a streamed answer, written on the event loop, and its body relayed after it. */
        private void relay(StreamedResponse streamed) {
            var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, streamed.status(), streamed.headers());
            boolean keep =
                    chunked(head, keepAlive && !closeAfter && ctx.channel().isActive());
            if (!ctx.channel().isActive()) {
                streamed.callerGone();
                answered(this, streamed);
                return;
            }
            relaying = new Relaying() {
                @Override
                public void writabilityChanged() {
                    streamed.writabilityChanged();
                }

                @Override
                public void callerGone() {
                    streamed.callerGone();
                }
            };
            ctx.write(head, ctx.voidPromise());
            streamed.relay(ctx, last -> streamEnded(streamed, last, keep));
        }

        /** Makes {@code head} a streamed answer's (chunked, no length), keeping the connection or not; returns which. */
        private static boolean chunked(HttpResponse head, boolean keep) {
            head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(head, true);
            head.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            return keep;
        }

        /** A stream's last chunk is written: the answer is done, and the connection goes on (or closes). */
        private void streamEnded(HttpResponse head, ChannelFuture last, boolean keep) {
            relaying = null;
            answered(this, head);
            if (keep && ctx.channel().isActive()) {
                next();
            } else {
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Sends a problem as {@code application/problem+json} with its status. */
        public void problem(Problem problem) {
            send(Responses.problem(problem));
        }

        /** Sends the problem that the failure stands for (see {@link Problems}). */
        public void fail(Throwable failure) {
            problem(Problems.of(failure, requestId));
        }

        private void write(FullHttpResponse response) {
            var headers = response.headers();
            if (!headers.contains(Responses.REQUEST_ID)) {
                headers.set(Responses.REQUEST_ID, requestId);
            }
            if (response instanceof StreamedResponse streamed) {
                relay(streamed);
                return;
            }
            answered(this, response);
            if (keepAlive && !closeAfter && ctx.channel().isActive()) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response, ctx.voidPromise());
                next();
            } else {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
