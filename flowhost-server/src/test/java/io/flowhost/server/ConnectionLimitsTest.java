package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.server.http.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle, half-sent and surplus connections cannot hold the server's sockets: a cap refuses connections past it
 * with a 503 that says why, headers must arrive within the header timeout, idle keep-alive connections close
 * after the keep-alive timeout, and a call in progress is never cut for being quiet.
 */
@Tag("e2e")
class ConnectionLimitsTest {

    private static final int CAP = 12;

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings -> settings.withLimits(
            Limits.defaults().withMaxConnections(CAP).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3))));

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (var socket : sockets) {
            socket.close();
        }
    }

    private Socket connect() throws IOException {
        var socket = new Socket("127.0.0.1", flowhost.server().port());
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        return socket;
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    /** Whether the server closed the connection: a read ends (or the socket was reset). */
    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void connectionsPastTheCapGet503SayingWhyAndAreClosed() throws Exception {
        RawHttp.Response refused = null;
        for (int i = 0; i < CAP * 2 && refused == null; i++) {
            var socket = connect();
            // Each open connection sends a request and keeps it unanswered-looking: it reads nothing more.
            socket.getOutputStream().write(request("/healthz").getBytes(StandardCharsets.US_ASCII));
            var first = RawHttp.read(socket.getInputStream());
            if (first.status() == 503) {
                refused = first;
            }
        }

        assertThat(refused)
                .as("a connection past the cap of " + CAP + " is refused")
                .isNotNull();
        assertThat(refused.body()).contains("not-ready").contains("--max-connections");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        assertThat(refused.header("Connection")).isEqualTo("close");
        closeSockets();
        sockets.clear();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> flowhost.http().get("/healthz").statusCode() == 200);
    }

    @Test
    void headersTrickledSlowerThanTheHeaderTimeoutAreCutOff() throws Exception {
        var socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));

        // One byte every 200 ms: never idle, never done. Only the header deadline ends it.
        boolean cut = false;
        for (int i = 0; i < 150 && !cut; i++) {
            try {
                out.write('a');
                out.flush();
                Thread.sleep(200);
            } catch (SocketException closed) {
                cut = true;
            }
            if (!cut && socket.getInputStream().available() == 0) {
                socket.setSoTimeout(1);
                try {
                    cut = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing yet
                } catch (SocketException reset) {
                    cut = true;
                }
                socket.setSoTimeout(30_000);
            }
        }

        assertThat(cut)
                .as("the server closed a connection whose headers never completed")
                .isTrue();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        var socket = connect();
        socket.getOutputStream().write(request("/healthz").getBytes(StandardCharsets.US_ASCII));
        assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);

        assertThat(closedByServer(socket.getInputStream())).isTrue();
    }

    @Test
    void aCallInProgressIsNotCutForBeingQuietLongerThanTheKeepAliveTimeout() throws Exception {
        flowhost.deploy(TestJars.of(TestServices.Trouble.class, TestServices.Order.class));
        var socket = connect();
        var body = "{}";
        socket.getOutputStream()
                .write(("POST /v1/services/trouble/wait HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(Duration.ofSeconds(5)); // longer than the 3 s keep-alive timeout: the call is still in progress

        Gate.open(flowhost.http());

        var answer = RawHttp.read(socket.getInputStream());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"opened\":true}");
    }
}
