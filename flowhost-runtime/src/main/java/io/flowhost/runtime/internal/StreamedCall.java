package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.netty.ChunkWriter;
import io.flowhost.wire.netty.InOrderHandler.Reply;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.StreamFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One call of a streaming endpoint, on its handler's virtual thread: the method called, its items pulled one at a
 * time and sent as they come, each framed as the caller asked, never faster than the caller reads. From the start of
 * the call a caller that goes away interrupts this thread (the method, or the item it is making, stops) and the items
 * are closed. A failure before the first item is answered as any failure is, a problem with its status; one after it
 * ends the stream with an error in the stream's framing.
 */
final class StreamedCall {

    private final ObjectMapper json;
    private final ByteBufAllocator alloc;
    private final Observing observing;
    private final EndpointBinding endpoint;
    private final Reply reply;
    private final StreamFormat format;

    StreamedCall(
            ObjectMapper json,
            ByteBufAllocator alloc,
            Observing observing,
            EndpointBinding endpoint,
            Reply reply,
            StreamFormat format) {
        this.json = json;
        this.alloc = alloc;
        this.observing = observing;
        this.endpoint = endpoint;
        this.reply = reply;
        this.format = format;
    }

    /** Calls the endpoint with {@code input} and streams what it returns; {@code body} is the request, for logging. */
    void run(Object instance, Object input, ByteBuf body, long started, String traceId, String variant) {
        var id = reply.requestId();
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, format.mediaType());
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        var writer = reply.stream(head); // nothing is sent before the first item
        var log = new Log(body, started, traceId, variant);
        Object result;
        try {
            result = endpoint.call(instance, input);
        } catch (CallRejectedException e) {
            refuse(writer, Problems.of(e, id), log);
            return;
        } catch (Throwable e) {
            refuse(writer, failure(writer, e, id), log);
            return;
        }
        try (var items = StreamedItems.of(result)) {
            Object item;
            try {
                item = items.hasNext() ? items.next() : null;
            } catch (Throwable e) {
                refuse(writer, failure(writer, e, id), log);
                return;
            }
            long count = 0;
            Problem failed = null;
            try {
                int size = 0;
                while (item != null) {
                    var chunk = frame(item, size);
                    size = chunk.readableBytes();
                    writer.write(chunk);
                    count++;
                    item = items.hasNext() ? items.next() : null;
                }
            } catch (ChunkWriter.CallerGoneException | InterruptedException gone) {
                // the caller went away: nothing more to do than stop
            } catch (Throwable e) {
                if (!writer.callerHasGone()) { // else the failure is the interrupt that stopped the handler
                    failed = InstanceHandler.crashed(endpoint, e, id);
                }
            }
            Observing.streamed(reply, count, failed); // before the end, which ends the span
            writer.end(failed == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(format.error(failed)));
            var summary = json.createObjectNode();
            summary.putObject("stream").put("items", count).put("bytes", writer.bytes());
            if (failed != null) {
                summary.putObject("error").put("type", failed.type()).put("detail", failed.detail());
            }
            log.record(summary.toString().getBytes(StandardCharsets.UTF_8), 200);
        }
    }

    /** The problem of a failure before the first item: the caller's going (nothing to log) or the handler's crash. */
    private Problem failure(ChunkWriter writer, Throwable e, String id) {
        return writer.callerHasGone() ? Problems.of(e, id) : InstanceHandler.crashed(endpoint, e, id);
    }

    /** The call failed before its first item: a problem, answered whole in place of the stream. */
    private void refuse(ChunkWriter writer, Problem problem, Log log) {
        log.record(problem.toJson(), problem.status());
        writer.instead(Responses.problem(problem));
    }

    /**
     * One item as a chunk: its JSON between the format's framing, in a buffer the size of the last one (items of a
     * stream are alike: a large one is then not copied into ever larger buffers as it is written).
     */
    private ByteBuf frame(Object item, int sizeHint) throws IOException {
        var out = alloc.buffer(Math.max(256, sizeHint));
        try {
            out.writeBytes(format.before());
            json.writeValue((OutputStream) new ByteBufOutputStream(out), item);
            out.writeBytes(format.after());
            return out;
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** What prediction logging gets of a sampled call: its request, and the problem or a count of what was sent. */
    private final class Log {
        private final ByteBuf body;
        private final long started;
        private final String traceId;
        private final String variant;

        Log(ByteBuf body, long started, String traceId, String variant) {
            this.body = body;
            this.started = started;
            this.traceId = traceId;
            this.variant = variant;
        }

        void record(byte[] answer, int status) {
            var predictions = observing.predictions();
            if (predictions.sample()) {
                predictions.record(
                        endpoint.name(),
                        ByteBufUtil.getBytes(body, 0, body.writerIndex()),
                        answer,
                        status,
                        Duration.ofNanos(System.nanoTime() - started),
                        reply.requestId(),
                        traceId,
                        variant);
            }
        }
    }
}
