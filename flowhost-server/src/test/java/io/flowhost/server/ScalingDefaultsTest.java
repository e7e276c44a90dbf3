package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.scaling.ScalingSettings;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's scaling settings are where every deployment starts; a deploy's own come after them. */
@Tag("e2e")
class ScalingDefaultsTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings ->
            settings.withScaling(ScalingSettings.defaults().with(Map.of("max-instances", "2", "idle-timeout", "10m"))));

    @Test
    void aDeploymentStartsFromTheServersScalingAndItsOwnSettingsWin() {
        var deployed = flowhost.deploy(TestJars.exampleBytes("echo"), "?idle-timeout=20m");

        var scaling = deployed.path("scaling");
        assertThat(scaling.path("max-instances").asText()).isEqualTo("2");
        assertThat(scaling.path("idle-timeout").asText()).isEqualTo("20m");
        assertThat(scaling.path("max-held").asText()).isEqualTo("1000");
    }
}
