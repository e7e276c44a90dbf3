package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.server.http.Limits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunked body declares no length, so its route's limit is applied as it streams: the 413 comes as soon as
 * the limit is passed, not after the server has held it all; a jar sent to deploy, which is written to a file as it
 * comes, leaves no file behind.
 */
@Tag("e2e")
class ChunkedBodyLimitTest {

    private static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_JAR = 2 * MAX_BODY;

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings ->
            settings.withLimits(Limits.defaults().withMaxBody(MAX_BODY).withMaxJar(MAX_JAR)));

    @Test
    void aChunkedCallBodyIsRefusedAsSoonAsItPassesTheLimit() throws Exception {
        var body = refusedAsItStreams("/v1/services/echo/predict", "application/json");

        assertThat(body).contains("over the limit of " + MAX_BODY).contains("--max-body");
    }

    @Test
    void aChunkedJarIsRefusedAsSoonAsItPassesTheJarLimitAndLeavesNoFile() throws Exception {
        var body = refusedAsItStreams("/v1/deployments", "application/java-archive");

        assertThat(body).contains("over the limit of " + MAX_JAR).contains("--max-jar");
        try (var uploads = Files.list(flowhost.dataDir().resolve("uploads"))) {
            assertThat(uploads).as("what is left of the refused upload").isEmpty();
        }
    }

    /** The body of the 413 that refuses an endless chunked body sent to {@code path}. */
    private String refusedAsItStreams(String path, String contentType) throws Exception {
        long endless = 256L * 1024 * 1024; // what the caller would send, and never finishes saying so
        var chunk = new byte[16 * 1024];
        var chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        var crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        String body;
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(60_000);
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: chunky\r\n" + "Content-Type: "
                            + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var sent = new AtomicLong();
            var sending = flowhost.async(() -> {
                try {
                    while (sent.get() < endless) {
                        out.write(chunkHead);
                        out.write(chunk);
                        out.write(crlf);
                        sent.addAndGet(chunk.length);
                    }
                    return sent.get();
                } catch (IOException closedByServer) {
                    return -1L; // the server stopped listening, as it should
                }
            });

            var response = RawHttp.read(new BufferedInputStream(socket.getInputStream()));
            long sentWhenRefused = sent.get();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("X-Request-Id")).isEqualTo("chunky");
            assertThat(response.header("Connection")).isEqualTo("close");
            body = response.body();
            // Socket buffers on loopback hold some MiB in flight; the whole body is 256 MiB.
            assertThat(sentWhenRefused).as("bytes sent before the 413 came").isLessThan(endless / 4);
            socket.close();
            sending.get(60, TimeUnit.SECONDS); // the writer ends once its socket is closed
        }
        assertThat(flowhost.http().get("/healthz").statusCode()).isEqualTo(200);
        return body;
    }
}
