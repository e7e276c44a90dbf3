package io.flowhost.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.wire.protocol.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a model deploy ({@code application/json}) takes from its query and its body. */
class DeployRequestTest {

    private static final byte[] MODEL = ("{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\": \"iris\","
                    + " \"scaling\": {\"max-instances\": \"3\"}}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aModelDeploysScalingSettingsInTheQueryCountAsThoseInItsBody() throws Exception {
        var request = DeployRequest.read(
                Map.of("idle-timeout", List.of("5s"), "min-instances", List.of("0")), "application/json", MODEL, null);

        assertThat(request.scaling())
                .containsEntry("idle-timeout", "5s")
                .containsEntry("min-instances", "0")
                .containsEntry("max-instances", "3");
    }

    @Test
    void aSettingGivenTwiceWithTwoValuesOrAJarsParameterIsRefusedSayingWhy() {
        assertThatThrownBy(() ->
                        DeployRequest.read(Map.of("max-instances", List.of("5")), "application/json", MODEL, null))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("max-instances is given twice, 5 in the query and 3 in the body");
        assertThatThrownBy(() -> DeployRequest.read(Map.of("class", List.of("x.Y")), "application/json", MODEL, null))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("?class= is for a service jar");
        assertThatThrownBy(
                        () -> DeployRequest.read(Map.of("idle-tmeout", List.of("5s")), "application/json", MODEL, null))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("unknown deploy parameter 'idle-tmeout'");
    }
}
