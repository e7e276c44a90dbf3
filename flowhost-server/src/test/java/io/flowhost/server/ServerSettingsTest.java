package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
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
    void anAdvertisedAddressIsAUrlOfSchemeHostAndPortInTheSchemeTheServerSpeaks() {
        assertThat(defaults.withAdvertise(URI.create("http://gw-2.internal")).advertise())
                .isEqualTo(URI.create("http://gw-2.internal"));
        assertThatThrownBy(() -> defaults.withAdvertise(URI.create("gw-2.internal:8080")))
                .hasMessageContaining("expected: a URL of scheme, host and maybe port");
        assertThatThrownBy(() -> defaults.withAdvertise(URI.create("http://gw-2.internal/api")))
                .hasMessageContaining("expected: a URL of scheme, host and maybe port");
        assertThatThrownBy(() -> defaults.withAdvertise(URI.create("https://gw-2.internal")))
                .hasMessageContaining("this server speaks plain HTTP: http://");
    }

    @Test
    void retiredJarsKeptAreFiveByDefaultAndNeverFewerThanNone() {
        assertThat(defaults.retiredJarsKept()).isEqualTo(5);
        assertThat(defaults.withRetiredJarsKept(0).retiredJarsKept()).isZero();
        assertThatThrownBy(() -> defaults.withRetiredJarsKept(-1))
                .hasMessageStartingWith("keep-retired-jars: -1 (expected: 0 or more");
    }

    @Test
    void aTinyBodyLimitIsRefused() {
        assertThatThrownBy(() -> defaults.withMaxBody(10)).hasMessage("max-body: 10 (expected: >= 1024 bytes)");
    }
}
