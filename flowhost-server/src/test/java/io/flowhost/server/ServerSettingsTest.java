package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    private final ServerSettings defaults = ServerSettings.defaults(Path.of("data"));

    @Test
    void aPortOutOfRangeIsRefusedNamingTheKeyAndTheRange() {
        assertThatThrownBy(() -> defaults.withPort(70_000))
                .hasMessage("port: 70000 (expected: 0..65535, 0 for any free port)");
    }

    @Test
    void aZeroTimeoutIsRefused() {
        assertThatThrownBy(() -> defaults.withRequestTimeout(Duration.ZERO))
                .hasMessageStartingWith("request-timeout: PT0S");
    }

    @Test
    void aTinyBodyLimitIsRefused() {
        assertThatThrownBy(() -> defaults.withMaxBody(10)).hasMessage("max-body: 10 (expected: >= 1024 bytes)");
    }
}
