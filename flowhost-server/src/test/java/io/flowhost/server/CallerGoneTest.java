package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A held call whose caller hangs up is let go at once: it no longer counts as held, and never runs. */
@Tag("e2e")
class CallerGoneTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @Test
    void aHeldCallIsDroppedWhenItsCallerCloses() throws Exception {
        var busy = BusyTrouble.deploy(flowhost);
        var http = flowhost.http();

        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            var body = "{\"ms\": 1}";
            socket.getOutputStream()
                    .write(("POST /v1/services/trouble/sleep HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: gone-1\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                                    + body)
                            .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(30)).until(() -> BusyTrouble.held(http) == 1);
        } // the caller hangs up while its call is held

        await().atMost(Duration.ofSeconds(30)).until(() -> BusyTrouble.held(http) == 0);
        Gate.open(http);
        assertThat(busy.get().statusCode()).isEqualTo(200);
        var line = await().atMost(Duration.ofSeconds(30))
                .until(() -> RequestLogLines.find(flowhost.dataDir(), "gone-1"), found -> found != null);
        assertThat(line.path("status").asInt()).isEqualTo(503);
        assertThat(line.path("instance").isNull())
                .as("it never reached an instance: " + line)
                .isTrue();
    }
}
