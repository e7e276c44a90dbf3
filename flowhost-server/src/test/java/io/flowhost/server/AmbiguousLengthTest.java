package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request whose length cannot be told for sure (two Content-Lengths, the way requests are smuggled past a proxy,
 * or one no number holds) is the caller's mistake: 400 in the caller's terms, the connection closed, the server
 * serving on. Both were answered 500 until the request-head fuzz test found them.
 */
@Tag("e2e")
class AmbiguousLengthTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private RawHttp.Response send(String head) throws IOException {
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return RawHttp.read(socket.getInputStream());
        }
    }

    @Test
    void twoContentLengthsAre400AndTheServerServesOn() throws IOException {
        var refused = send("POST /v1/services/echo/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n"
                + "Content-Length: 4\r\n\r\nabcd");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("connection")).isEqualTo("close");
        assertThat(refused.body())
                .contains("the request is not valid HTTP/1.1: Multiple Content-Length values found: [3, 4]");
        assertThat(flowhost.http().get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aLengthNoNumberHoldsIs400WithoutNamingJava() throws IOException {
        var refused = send("POST /v1/services/echo/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 99999999999999999999\r\n\r\n");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("not valid HTTP/1.1").doesNotContain("java.", "Exception");
    }
}
