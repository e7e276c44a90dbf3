package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A path sent as raw UTF-8 is read as the caller wrote it, and its control characters never reach the log raw. */
@Tag("e2e")
class UrlPathLoggingTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @Test
    void aRawUtf8PathIsLoggedAsWrittenWithItsControlCharactersEscaped() throws Exception {
        var request = new ByteArrayOutputStream();
        request.write("GET /v1/services/".getBytes(StandardCharsets.US_ASCII));
        request.write("café".getBytes(StandardCharsets.UTF_8));
        request.write("/x".getBytes(StandardCharsets.US_ASCII));
        request.write("\u0085".getBytes(StandardCharsets.UTF_8)); // NEXT LINE, a C1 control character
        request.write(" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: utf8-1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.getOutputStream().write(request.toByteArray());
            var answer = RawHttp.read(socket.getInputStream());
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body()).contains("café");
        }

        var line = await().atMost(Duration.ofSeconds(30))
                .until(() -> RequestLogLines.find(flowhost.dataDir(), "utf8-1"), found -> found != null);
        assertThat(line.path("service").asText()).isEqualTo("café");
        assertThat(line.path("endpoint").asText()).isEqualTo("x\u0085");
        var raw =
                new String(Files.readAllBytes(flowhost.dataDir().resolve("logs/requests.log")), StandardCharsets.UTF_8);
        assertThat(raw)
                .contains("\"café\"")
                .contains("x\\u0085")
                .doesNotContain("\u0085")
                .doesNotContain("Ã©");
    }
}
