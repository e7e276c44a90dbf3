package io.flowhost.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.netty.UnixSocketHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance given a Unix socket takes calls on it as on its TCP port, replaces a file left at its path, and removes
 * the socket when it closes; a path too long for a socket is refused before anything starts.
 */
class UnixSocketTest {

    @TempDir
    Path dir;

    private InstanceOptions options(Path socket) {
        return new InstanceOptions(
                null,
                InstanceHttpTest.ModelService.class.getName(),
                "127.0.0.1",
                0,
                null,
                InstanceOptions.DEFAULT_MAX_BODY,
                Map.of(),
                false,
                null,
                Map.of(),
                null,
                null,
                null,
                socket);
    }

    @Test
    void callsOnTheSocketAreAnsweredAsOnThePortAndClosingRemovesIt() throws Exception {
        Assumptions.assumeTrue(Transport.forInstance().hasDomainSockets(), "no Unix sockets in NIO, off Linux");
        var socket = dir.resolve("socket");
        Files.writeString(socket, "left by an instance before"); // a stale file: bind would fail on it

        try (var instance = Instance.serve(options(socket))) {
            assertThat(instance.onSocket()).isTrue();
            var answer = UnixSocketHttp.call(socket, "POST", "/v1/services/model/echo", "{\"a\": 1}");
            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"a\":1}");
            assertThat(TestHttp.get(instance.port(), "/healthz").statusCode()).isEqualTo(200);
            assertThat(UnixSocketHttp.call(socket, "GET", "/v1/services/model/nope", ""))
                    .startsWith("HTTP/1.1 404 ")
                    .contains("application/problem+json");
        }

        assertThat(socket).doesNotExist();
    }

    @Test
    void aSocketPathTooLongForLinuxIsRefusedSayingSo() {
        var tooLong = dir.resolve("s".repeat(InstanceOptions.MAX_SOCKET_PATH));

        assertThatThrownBy(() -> options(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--socket: " + tooLong)
                .hasMessageContaining("longer than the 107 bytes");
    }

    @Test
    void theCommandLineTakesTheSocket() {
        var parsed = InstanceMain.parse(new String[] {
            "--class", "x.Service", "--socket", dir.resolve("socket").toString()
        });

        assertThat(parsed.options().socket()).isEqualTo(dir.resolve("socket"));
    }
}
