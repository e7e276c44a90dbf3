package io.flowhost.wire.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.wire.protocol.UnauthorizedException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads written to a file as they come; other requests collected as before; nothing left behind. */
class SpooledUploadsTest {

    private static final int LIMIT = 256 * 1024;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private EmbeddedChannel connection() {
        return connection(SpooledUploads.Admission.ANYONE);
    }

    private EmbeddedChannel connection(SpooledUploads.Admission admission) {
        return new EmbeddedChannel(
                new ReadGate(),
                new SpooledUploads(dir, LIMIT, r -> r.uri().equals("/upload"), admission),
                new LimitedAggregator(1024));
    }

    @Test
    void anUploadItsAdmissionRefusesIsAnsweredWithTheRefusalBeforeAnyFileIsMade() throws IOException {
        var connection = connection((head, channel) -> {
            throw new UnauthorizedException("no token: send 'Authorization: Bearer <token>'");
        });

        connection.writeInbound(post("/upload", 3));

        FullHttpResponse answer = connection.readOutbound();
        assertThat(answer.status().code()).isEqualTo(401);
        assertThat(connection.isOpen())
                .as("the body still on its way, the connection is ended")
                .isFalse();
        assertThat(answer.content().toString(StandardCharsets.UTF_8)).contains("no token");
        answer.release();
        assertThat(files()).isEmpty();
        assertThat((Object) connection.readInbound()).isNull();
        connection.finishAndReleaseAll();
    }

    @Test
    void whileAnUploadIsAdmittedReadsStopAndWhatCameMeanwhileGoesOnInOrderOnceItIs() throws IOException {
        var decision = new CompletableFuture<Void>();
        var connection = connection((head, channel) -> decision);

        connection.writeInbound(post("/upload", 4));
        assertThat(connection.config().isAutoRead())
                .as("reading while the upload is admitted")
                .isFalse();
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("jar!", StandardCharsets.UTF_8)));
        connection.writeInbound(post("/other", 2));
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));
        assertThat((Object) connection.readInbound()).isNull();
        assertThat(files()).isEmpty();

        decision.complete(null);
        connection.runPendingTasks();

        assertThat(connection.config().isAutoRead()).isTrue();
        FullHttpRequest upload = connection.readInbound();
        var file = Upload.take(upload);
        assertThat(Files.readString(file)).isEqualTo("jar!");
        upload.release();
        FullHttpRequest other = connection.readInbound();
        assertThat(other.uri()).isEqualTo("/other");
        assertThat(other.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        other.release();
        Files.delete(file);
        connection.finishAndReleaseAll();
    }

    @Test
    void aCallerThatHangsUpWhileItsUploadIsAdmittedLeavesNothingBehind() throws IOException {
        var decision = new CompletableFuture<Void>();
        var connection = connection((head, channel) -> decision);
        connection.writeInbound(post("/upload", 2 * CHUNK));
        var early = Unpooled.wrappedBuffer(new byte[CHUNK]);
        connection.writeInbound(new DefaultHttpContent(early));

        connection.close();
        decision.complete(null);
        connection.runPendingTasks();

        assertThat(early.refCnt()).as("what came while admitting, released").isZero();
        assertThat(files()).isEmpty();
        assertThat((Object) connection.readInbound()).isNull();
    }

    @Test
    void anUploadIsWrittenToAFileAndPassedOnWithItWhileOtherRequestsAreCollected() throws IOException {
        var connection = connection();
        var body = new byte[3 * CHUNK + 5];
        Arrays.fill(body, (byte) 'j');
        body[body.length - 1] = 'z';

        connection.writeInbound(post("/upload", body.length));
        connection.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(body, 0, CHUNK)));
        connection.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(body, CHUNK, 2 * CHUNK)));
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body, 3 * CHUNK, 5)));
        connection.writeInbound(post("/other", 2));
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));

        FullHttpRequest upload = connection.readInbound();
        assertThat(upload).isInstanceOf(Upload.class);
        assertThat(((Upload) upload).size()).isEqualTo(body.length);
        assertThat(upload.content().readableBytes()).isZero();
        var file = Upload.take(upload);
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
        upload.release();
        assertThat(file).as("taken, the file is the taker's").exists();
        FullHttpRequest other = connection.readInbound();
        assertThat(other).isNotInstanceOf(Upload.class);
        assertThat(other.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        other.release();
        Files.delete(file);
        assertThat(connection.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anUploadReleasedWithoutBeingTakenDeletesItsFile() throws IOException {
        var connection = connection();
        connection.writeInbound(post("/upload", 2));
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("pk", StandardCharsets.UTF_8)));

        FullHttpRequest upload = connection.readInbound();
        assertThat(files()).hasSize(1);
        upload.release();

        assertThat(files()).isEmpty();
    }

    @Test
    void aCallerThatExpects100ContinueIsToldToGoOn() {
        var connection = connection();
        var request = post("/upload", 2);
        request.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);

        connection.writeInbound(request);

        FullHttpResponse answer = connection.readOutbound();
        assertThat(answer.status().code()).isEqualTo(100);
        assertThat(request.headers().contains(HttpHeaderNames.EXPECT)).isFalse();
        connection.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("pk", StandardCharsets.UTF_8)));
        FullHttpRequest upload = connection.readInbound();
        upload.release();
        connection.finishAndReleaseAll();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWith413BeforeAnyFileIsMade() throws IOException {
        var connection = connection();

        connection.writeInbound(post("/upload", LIMIT + 1));

        FullHttpResponse answer = connection.readOutbound();
        assertThat(answer.status().code()).isEqualTo(413);
        assertThat(answer.content().toString(StandardCharsets.UTF_8)).contains("over the limit of " + LIMIT);
        answer.release();
        assertThat(files()).isEmpty();
        assertThat((Object) connection.readInbound()).isNull();
        connection.finishAndReleaseAll();
    }

    @Test
    void aChunkedUploadIsRefusedOnceItPassesTheLimitAndItsFileDeleted() throws IOException {
        var connection = connection();
        var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        connection.writeInbound(request);

        for (int sent = 0; sent <= LIMIT && connection.outboundMessages().isEmpty(); sent += CHUNK) {
            connection.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[CHUNK])));
        }

        FullHttpResponse answer = connection.readOutbound();
        assertThat(answer.status().code()).isEqualTo(413);
        answer.release();
        assertThat(files()).isEmpty();
        assertThat((Object) connection.readInbound()).isNull();
        connection.finishAndReleaseAll();
    }

    @Test
    void aCallerThatHangsUpMidUploadLeavesNoFile() throws IOException {
        var connection = connection();
        connection.writeInbound(post("/upload", 2 * CHUNK));
        connection.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[CHUNK])));
        assertThat(files()).hasSize(1);

        connection.close();

        assertThat(files()).isEmpty();
        assertThat((Object) connection.readInbound()).isNull();
    }

    private static HttpRequest post(String uri, long length) {
        var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        return request;
    }

    private List<Path> files() throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
