package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Headers are bounded in bytes (8 KiB) and in count (100, as Tomcat): past either, 431 saying which, the connection
 * closed, the server serving on. Over real sockets.
 */
@Tag("e2e")
class HeaderLimitsTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    /** A GET of /healthz with {@code extra} more headers: with Host, Content-Length and Connection, 3 more. */
    private RawHttp.Response healthzWith(int extra, int valueLength) {
        var head = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < extra; i++) {
            head.append("x-h")
                    .append(i)
                    .append(": ")
                    .append("v".repeat(valueLength))
                    .append("\r\n");
        }
        return RawHttp.exchange(flowhost.server().port(), head.toString(), new byte[0]);
    }

    @Test
    void aHundredHeadersAreRead() {
        assertThat(healthzWith(97, 1).status()).isEqualTo(200);
    }

    @Test
    void aHundredAndOneHeadersAre431SayingHowMany() {
        var refused = healthzWith(98, 1);

        assertThat(refused.status()).isEqualTo(431);
        assertThat(refused.header("connection")).isEqualTo("close");
        assertThat(refused.body()).contains("the request has 101 headers; at most 100 are read");
        assertThat(healthzWith(0, 1).status()).as("the server serves on").isEqualTo(200);
    }

    @Test
    void headersOverEightKibibytesAre431() {
        var refused = healthzWith(10, 1000);

        assertThat(refused.status()).isEqualTo(431);
        assertThat(refused.body()).contains("the request headers are too large (over 8192 bytes)");
    }
}
