package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.BodyTooLargeException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Writes the body of an upload (a request that {@code isUpload} picks, such as a jar sent to deploy) to a file as it
 * comes, instead of collecting it in memory, where a jar of hundreds of MiB would take more than a gateway's heap:
 * what goes on is an {@link Upload}, the request with the file as its body. Its head is first put to an
 * {@link Admission}, with the connection's reads stopped meanwhile, so that a caller who may not upload is refused
 * before the body is read, not after it filled the disk. A body over the limit, declared or counted as it comes, gets
 * a 413 problem and the connection is closed, the file deleted; so is a body whose caller hangs up. The file is
 * written on the event loop, as Netty's own disk uploads are: a chunk of tens of KiB at a time, into the page cache.
 * Goes before the aggregator, which lets an {@link Upload} pass.
 */
public final class SpooledUploads extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final Path dir;
    private final int limit;
    private final Predicate<HttpRequest> isUpload;
    private final Admission admission;

    /** The upload being admitted or written, or null. */
    private HttpRequest head;

    /**
     * What was read while an upload was being admitted (its body, and any request pipelined after it), passed on in
     * order once it is; null when no upload is being admitted.
     */
    private ArrayDeque<Object> early;

    /** Whether this handler stopped the connection's reads (while admitting). */
    private boolean paused;

    private Path file;
    private FileChannel out;
    private long received;

    /** Whether the rest of a body is dropped: it was refused. */
    private boolean refused;

    /** Whether an upload may be sent, decided from its head before its body is read. */
    @FunctionalInterface
    public interface Admission {

        /** Lets anyone upload. */
        Admission ANYONE = (head, channel) -> CompletableFuture.completedFuture(null);

        /**
         * Completes to let the body be read, or fails with the reason it may not (a 4xx, answered with the
         * connection closed); may decide off the event loop. Throwing refuses too.
         */
        CompletionStage<?> admit(HttpRequest head, Channel channel);
    }

    /** Uploads written under {@code dir} (made when first needed), up to {@code limit} bytes each, once admitted. */
    public SpooledUploads(Path dir, int limit, Predicate<HttpRequest> isUpload, Admission admission) {
        this.dir = dir;
        this.limit = limit;
        this.isUpload = isUpload;
        this.admission = admission;
    }

    /** Deletes what uploads a process that stopped mid-way left under {@code dir}. */
    public static void clear(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var left = Files.list(dir)) {
            for (var file : left.toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clear the uploads left under " + dir + ": " + e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (early != null) {
            early.add(msg); // behind the upload being admitted
            ReadGate.close(ctx.channel()); // in case the requests' own flow control opened it meanwhile
        } else if (msg instanceof FullHttpRequest) {
            ctx.fireChannelRead(msg); // a body that came whole (an HTTP/2 stream without data): nothing to write
        } else if (msg instanceof HttpRequest request) {
            refused = false;
            if (request.decoderResult().isSuccess() && isUpload.test(request)) {
                start(ctx, request);
            } else {
                ctx.fireChannelRead(msg);
            }
        } else if (msg instanceof HttpContent content && (head != null || refused)) {
            try {
                if (head != null) {
                    write(ctx, content);
                }
            } finally {
                content.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > limit) {
            refuse(ctx, request, new BodyTooLargeException(declared, limit));
            return;
        }
        head = request;
        CompletableFuture<?> decision;
        try {
            decision = admission.admit(request, ctx.channel()).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        if (decision.isDone()) {
            admitted(ctx, request, decision.isCompletedExceptionally() ? failure(decision) : null);
            return;
        }
        early = new ArrayDeque<>();
        paused = true;
        ReadGate.close(ctx.channel());
        decision.whenComplete((ok, failure) -> ctx.executor().execute(() -> admitted(ctx, request, failure)));
    }

    private static Throwable failure(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException | CancellationException e) {
            return e;
        }
    }

    /** Goes on with an upload once its admission is decided: refused, or its file opened and what came written. */
    private void admitted(ChannelHandlerContext ctx, HttpRequest request, Throwable refusal) {
        if (head != request) {
            return; // its caller went away meanwhile
        }
        if (paused) {
            paused = false;
            ReadGate.open(ctx.channel());
        }
        var waiting = early;
        early = null;
        if (refusal != null) {
            abandon(waiting);
            refuse(ctx, request, refusal);
            return;
        }
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "upload-", ".part");
            out = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            abandon(waiting);
            refuse(ctx, request, new UncheckedIOException("cannot keep the upload under " + dir + ": " + e, e));
            return;
        }
        received = 0;
        if (HttpUtil.is100ContinueExpected(request)) {
            // answered here, since the aggregator that would answer it does not see this request
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    request.protocolVersion(), HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        if (waiting != null) {
            while (!waiting.isEmpty()) {
                channelRead(ctx, waiting.poll()); // the body, and after it what came next
            }
        }
    }

    private void write(ChannelHandlerContext ctx, HttpContent content) {
        var bytes = content.content();
        received += bytes.readableBytes();
        if (received > limit) {
            var request = head;
            abandon();
            refuse(ctx, request, new BodyTooLargeException(-1, limit));
            return;
        }
        try {
            while (bytes.isReadable()) {
                bytes.readBytes(out, bytes.readableBytes());
            }
            if (content instanceof LastHttpContent last) {
                out.close();
                var upload = new Upload(head, file, received);
                upload.trailingHeaders().set(last.trailingHeaders());
                head = null;
                file = null; // the upload's now: deleted when it is released, unless taken
                out = null;
                ctx.fireChannelRead(upload);
            }
        } catch (IOException e) {
            var request = head;
            abandon();
            refuse(ctx, request, new UncheckedIOException("cannot write the upload under " + dir + ": " + e, e));
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, Throwable reason) {
        refused = true;
        LingeringClose.refuse(ctx, request.headers().get(Responses.REQUEST_ID), reason);
    }

    /** Drops the upload in progress, if any, and its file, and what was read while it was being admitted. */
    private void abandon(Collection<Object> waiting) {
        if (waiting != null) {
            waiting.forEach(ReferenceCountUtil::release);
        }
        abandon();
    }

    /** Drops the upload in progress, if any, and its file. */
    private void abandon() {
        if (early != null) {
            var waiting = early;
            early = null;
            waiting.forEach(ReferenceCountUtil::release);
        }
        head = null;
        try {
            if (out != null) {
                out.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the unfinished upload " + file + ": " + e);
        } finally {
            out = null;
            file = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        abandon(); // the caller hung up mid-body
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        abandon();
    }
}
