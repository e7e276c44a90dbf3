package io.flowhost.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

/** RFC 9110 §7.6.1: what a proxy removes before it passes a message on. */
class HopHeadersTest {

    @Test
    void theHeadersConnectionNamesGoWithIt() {
        var headers = new DefaultHttpHeaders()
                .add("Connection", "close, X-Hop")
                .add("Connection", "X-Other")
                .add("X-Hop", "1")
                .add("X-Other", "2")
                .add("X-Kept", "3");

        HopHeaders.remove(headers);

        assertThat(headers.names()).containsExactly("X-Kept");
    }

    @Test
    void theHopByHopHeadersGoEvenWhenConnectionDoesNotNameThem() {
        var headers = new DefaultHttpHeaders()
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("Proxy-Authorization", "Basic x")
                .add("Proxy-Authenticate", "Basic")
                .add("Trailer", "X-Sum")
                .add("Content-Type", "application/json");

        HopHeaders.remove(headers);

        assertThat(headers.names()).containsExactly("Content-Type");
    }
}
