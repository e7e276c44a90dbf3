package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.server.http.Limits;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipelined requests are all answered, in order, however many one write holds; and the requests waiting behind
 * a slow one are bounded, so that a caller who keeps sending is slowed down by TCP instead of filling memory.
 */
@Tag("e2e")
class PipeliningTest {

    private static final long MAX_PIPELINED = 1024 * 1024;

    @RegisterExtension
    final RunningServer flowhost =
            new RunningServer(settings -> settings.withLimits(Limits.defaults().withMaxPipelinedBytes(MAX_PIPELINED)));

    private static byte[] get(String path, String requestId, int bodyBytes) {
        var head = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: " + requestId + "\r\nContent-Length: "
                + bodyBytes + "\r\n\r\n";
        var bytes = new byte[head.length() + bodyBytes];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, head.length());
        return bytes;
    }

    @Test
    void manyMoreRequestsThanTheCodecsDefaultDepthInOneWriteAreAllAnsweredInOrder() throws Exception {
        // Netty's codec drops a connection with more than 128 requests decoded and unanswered; one read holds more.
        int count = 600;
        var all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            all.write(get("/healthz", "p-" + i, 0));
        }
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(all.toByteArray());
            socket.getOutputStream().flush();
            var in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++) {
                var response = RawHttp.read(in);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("X-Request-Id")).isEqualTo("p-" + i);
            }
        }
    }

    @Test
    void aCallerThatKeepsSendingBehindASlowCallIsSlowedDownAndLosesNothing() throws Exception {
        flowhost.deploy(
                TestJars.of(TestServices.Trouble.class, TestServices.Order.class),
                "?max-concurrency=1&target-in-flight=1&max-instances=1");
        var http = flowhost.http();
        int requests = 1024;
        int bodyBytes = 256 * 1024; // 256 MiB in all, far more than the socket buffers and the limit together
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            var wait = "POST /v1/services/trouble/wait HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: slow"
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
            out.write(wait.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Http.json(http.get("/v1/status/trouble"))
                                    .path("services")
                                    .path(0)
                                    .path("inFlight")
                                    .asInt()
                            == 1);

            var sent = new AtomicLong();
            var sending = flowhost.async(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        var request = get("/healthz", "behind-" + i, bodyBytes);
                        out.write(request);
                        sent.addAndGet(request.length);
                    }
                    out.flush();
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            // The writes stall once the server stops reading: the sent count stops moving, far short of all.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long now = sent.get();
                        boolean still = now == last[0] && now > 0;
                        last[0] = now;
                        return still || sending.isDone();
                    });
            long total = (long) requests * bodyBytes;
            assertThat(sending.isDone())
                    .as("the server read all %d bytes behind a call still in flight", total)
                    .isFalse();
            assertThat(sent.get()).as("bytes sent before the writes stalled").isLessThan(total / 2);

            Gate.open(http);
            var in = new BufferedInputStream(socket.getInputStream());
            var first = RawHttp.read(in);
            assertThat(first.header("X-Request-Id")).isEqualTo("slow");
            assertThat(first.status()).isEqualTo(200);
            for (int i = 0; i < requests; i++) {
                var response = RawHttp.read(in);
                assertThat(response.header("X-Request-Id")).isEqualTo("behind-" + i);
                assertThat(response.status()).isEqualTo(200);
            }
            sending.get(60, TimeUnit.SECONDS);
        }
    }
}
