package io.flowhost.domain.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    @Test
    void aGpuDeploymentsResourcesAreReadAndWrittenBack() {
        var given = Map.of(
                "cpu", "500m",
                "memory", "4Gi",
                "gpu", "1",
                "node-selector", "pool=gpu,zone=eu-west-1a",
                "tolerations", "nvidia.com/gpu=present:NoSchedule,spot:NoExecute");

        var r = Resources.none().with(given);

        assertThat(r.cpu()).isEqualTo("500m");
        assertThat(r.memory()).isEqualTo("4Gi");
        assertThat(r.gpus()).isEqualTo(1);
        assertThat(r.nodeSelector()).containsOnly(Map.entry("pool", "gpu"), Map.entry("zone", "eu-west-1a"));
        assertThat(r.tolerations()).containsExactly("nvidia.com/gpu=present:NoSchedule", "spot:NoExecute");
        assertThat(Resources.none().with(r.toMap())).isEqualTo(r);
        assertThat(Resources.none().toMap()).isEmpty();
    }

    @Test
    void eachBadValueSaysWhatIsExpected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("cpu", "lots")))
                .withMessage("cpu: 'lots' (expected: cores such as 2 or 0.5, or millicores such as 500m)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("memory", "4GB")))
                .withMessageStartingWith("memory: '4GB'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("gpu", "17")))
                .withMessage("gpu: 17 (expected: 0..16 devices)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("gpu", "one")))
                .withMessageStartingWith("gpu: 'one'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("node-selector", "pool")))
                .withMessageStartingWith("node-selector: 'pool'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("tolerations", "gpu:Sometimes")))
                .withMessageContaining("NoSchedule, PreferNoSchedule or NoExecute");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Resources.none().with(Map.of("gpus", "1")))
                .withMessageStartingWith("gpus: unknown resource setting");
        assertThat(new Resources(null, null, 0, Map.of(), List.of())).isEqualTo(Resources.none());
    }
}
