package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.rollout.Variant;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutRequestTest {

    @Test
    void aDeployWithoutCanaryOrShadowReplacesThePrimary() throws InvalidSettingsException {
        assertThat(RolloutRequest.from(Map.of("min-instances", "1"))).isNull();
    }

    @Test
    void aCanaryWithStepsAndGuardrails() throws InvalidSettingsException {
        var asked = RolloutRequest.from(Map.of(
                "weight", "10",
                "steps", "10,50,100",
                "bake", "2m",
                "min-calls", "20",
                "max-p99-ratio", "2",
                "route-key-header", "X-User-Id"));

        assertThat(asked.variant()).isEqualTo(Variant.CANARY);
        assertThat(asked.split().percent()).isEqualTo(10);
        assertThat(asked.plan().bake()).isEqualTo(Duration.ofMinutes(2));
        assertThat(asked.plan().describe()).isEqualTo("10,50,100 %, 120s each");
        assertThat(asked.guardrails().minCalls()).isEqualTo(20);
        assertThat(asked.guardrails().maxP99Ratio()).isEqualTo(2.0);
        assertThat(asked.routeKeyHeader()).isEqualTo("X-User-Id");
    }

    @Test
    void mistakesAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("canary", "10", "shadow", "10")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("steps", "10,100")))
                .hasMessageContaining("steps needs canary (or weight) or shadow");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("canary", "ten")))
                .hasMessageContaining("give a whole percent from 0 to 100");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("canary", "20", "steps", "10,100")))
                .hasMessageContaining("the first step (10%) is not the share asked for (20%)");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("canary", "10", "steps", "10,50")))
                .hasMessageContaining("rising to 100");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("canary", "10", "route-key-header", "X User")))
                .hasMessageContaining("is not a header name");
        assertThatThrownBy(() -> RolloutRequest.from(Map.of("shadow", "10", "tolerance", "-1")))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> RolloutRequest.forStart(Map.of("bake", "5m"))).hasMessageContaining("steps: missing");
    }
}
