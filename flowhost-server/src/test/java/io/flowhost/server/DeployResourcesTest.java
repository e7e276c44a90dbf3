package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A deploy's pod resources are checked at once, kept with the deployment and shown; child processes ignore them. */
@Tag("e2e")
class DeployResourcesTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @Test
    void resourcesAreKeptAndShown() {
        var deployed = flowhost.deploy(
                TestJars.exampleBytes("echo"),
                "?gpu=1&memory=4Gi&node-selector=pool%3Dgpu&tolerations=gpu%3Dtrue%3ANoSchedule");

        var resources = deployed.path("resources");
        assertThat(resources.path("gpu").asText()).isEqualTo("1");
        assertThat(resources.path("memory").asText()).isEqualTo("4Gi");
        assertThat(resources.path("node-selector").asText()).isEqualTo("pool=gpu");
        assertThat(resources.path("tolerations").asText()).isEqualTo("gpu=true:NoSchedule");
    }

    @Test
    void theServiceAnnotationSaysWhatItNeedsAndADeployMayAskOtherwise() {
        var annotated = flowhost.deploy(TestJars.of(TestServices.GpuModel.class));
        assertThat(annotated.path("resources").path("gpu").asText()).isEqualTo("1");
        assertThat(annotated.path("resources").path("memory").asText()).isEqualTo("2Gi");

        var overridden = flowhost.deploy(TestJars.of(TestServices.GpuModel.class), "?gpu=2");
        assertThat(overridden.path("resources").path("gpu").asText()).isEqualTo("2");
        assertThat(overridden.path("resources").path("memory").asText()).isEqualTo("2Gi");
    }

    @Test
    void aBadAnnotationIsRefusedSayingItIsTheAnnotations() {
        var refused = flowhost.http().deploy(TestJars.of(TestServices.BadMemory.class), "");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.json(refused).path("detail").asText()).contains("the @Service annotation's memory: '2GB'");
    }

    @Test
    void aBadResourceIsRefusedBeforeAnythingStarts() {
        var refused = flowhost.http().deploy(TestJars.exampleBytes("echo"), "?gpu=lots");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.json(refused).path("type").asText()).endsWith("invalid-settings");
        assertThat(Http.json(refused).path("detail").asText()).contains("gpu: 'lots'");
    }
}
