package io.flowhost.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.wire.netty.HeaderCount;
import io.flowhost.wire.netty.ServerCodecs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Jazzer's coverage-guided fuzzing of how the gateway's port reads a request's head: the server's HTTP/1.1 codec,
 * the body limits, the edge that strips the platform's headers, reads the path once and routes to a call or to
 * management, all as a real connection has them (bytes in two reads). Whatever the bytes, nothing escapes the
 * pipeline, no {@code X-Flowhost-*} header the caller sent gets past the edge, and every answer is a well-formed
 * response that is the routes' own 200 (after a 100 Continue when asked) or a 4xx saying what was wrong: never a
 * 500. Anything else, or a hang or running out of memory, is a finding that fails the test. Seeds are in {@code RequestHeadFuzzTestInputs/}.
 */
class RequestHeadFuzzTest {

    /** Small limits, so that the fuzzer reaches them. */
    private static final Limits LIMITS = Limits.defaults().withMaxBody(1024).withMaxPipelinedBytes(4096);

    /** Where jars posted to deploy are written as they come: empty again after every input. */
    private static final Path UPLOADS = uploads();

    /** What a refusal must not name unless the caller wrote it: Java's classes and packages. */
    private static final Pattern JAVA_NAMES = Pattern.compile("java\\.|io\\.netty|io\\.flowhost|Exception");

    @FuzzTest
    void everyRequestHeadIsAnsweredOrRefusedWithA4xx(byte[] bytes) {
        var leaks = new ArrayList<String>();
        CallHandler calls = call -> {
            leaked(call.request().headers(), leaks);
            call.request().release();
            return CompletableFuture.completedFuture(ok());
        };
        ManagementRoutes management = (request, requestId, source) -> {
            leaked(request.headers(), leaks);
            request.release();
            return CompletableFuture.completedFuture(ok());
        };
        if (bytes.length == 0) {
            return;
        }
        var parts = new EdgeParts(LIMITS, UPLOADS, calls, management, new ManagementGuard(true, "http"));
        var connection = new Connection(
                ServerCodecs.http(), HeaderCount.LIMIT, parts.uploads(), parts.aggregator(), parts.edge());

        // The first byte says where the rest is split into two reads: a head may arrive in pieces. Copies, as a
        // socket's reads are: the decoder compacts what it reads in place, which must not touch the fuzzer's input
        int split = Math.min(bytes.length - 1, Byte.toUnsignedInt(bytes[0]));
        connection.writeInbound(Unpooled.copiedBuffer(bytes, 1, split));
        if (connection.isOpen()) { // a socket closed after the first read delivers no second
            connection.writeInbound(Unpooled.copiedBuffer(bytes, 1 + split, bytes.length - 1 - split));
        }
        connection.runPendingTasks();
        connection.checkException();

        if (!leaks.isEmpty()) {
            throw new AssertionError("a caller's platform headers got past the edge: " + leaks);
        }
        // The answer to a HEAD request rightly has a Content-Length and no body, which a decoder that has not seen
        // the requests reads as the start of a body: with a HEAD among them, the answers are not read back.
        var sent = new String(bytes, StandardCharsets.ISO_8859_1);
        var answers = sent.contains("HEAD") ? List.<FullHttpResponse>of() : responses(connection);
        for (var response : answers) {
            int status = response.status().code();
            var body = response.content().toString(StandardCharsets.UTF_8);
            response.release();
            if (status != 100 && status != 200 && (status < 400 || status > 499)) { // 100: Expect: 100-continue
                throw new AssertionError("a request was answered " + response.status() + ": " + body);
            }
            if (JAVA_NAMES.matcher(body).find()
                    && !JAVA_NAMES
                            .matcher(new String(bytes, StandardCharsets.ISO_8859_1))
                            .find()) {
                throw new AssertionError("a refusal names what runs inside: " + body);
            }
        }
        connection.finishAndReleaseAll();
        try (var left = Files.list(UPLOADS)) {
            var files = left.toList();
            if (!files.isEmpty()) {
                throw new AssertionError("uploads left behind: " + files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path uploads() {
        try {
            var dir = Files.createTempDirectory("fuzz-uploads");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse ok() {
        var ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        ok.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return ok;
    }

    private static void leaked(HttpHeaders headers, List<String> leaks) {
        for (var name : headers.names()) {
            if (name.regionMatches(true, 0, "x-flowhost-", 0, 11) && name.length() > 11) {
                leaks.add(name);
            }
        }
    }

    /** What the server wrote, read back as a client reads it; a response that does not parse is a finding. */
    private static List<FullHttpResponse> responses(EmbeddedChannel connection) {
        var client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        for (ByteBuf written = connection.readOutbound(); written != null; written = connection.readOutbound()) {
            client.writeInbound(written);
        }
        var responses = new ArrayList<FullHttpResponse>();
        for (FullHttpResponse read = client.readInbound(); read != null; read = client.readInbound()) {
            if (read.decoderResult().isFailure()) {
                throw new AssertionError(
                        "the server wrote a response a client cannot read",
                        read.decoderResult().cause());
            }
            responses.add(read);
        }
        try {
            client.finishAndReleaseAll();
        } catch (PrematureChannelClosureException cut) {
            throw new AssertionError("the server wrote a response cut short", cut);
        }
        return responses;
    }

    /** A connection on loopback, as the edge's management guard expects a socket's addresses. */
    private static final class Connection extends EmbeddedChannel {
        Connection(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 8080);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 50000);
        }
    }
}
