package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowhost.domain.access.Rate;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.state.DeploymentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every deployment store does: versions per service, one active deployment each, and all of it kept. */
public abstract class DeploymentStoreContract {

    /** The store under test, opened in {@code place} (again, to see what it kept). */
    protected abstract DeploymentStore open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(DeploymentStore store);

    @TempDir
    Path place;

    private DeploymentStore store;

    @BeforeEach
    void openStore() {
        store = open(place);
    }

    @AfterEach
    void closeStore() {
        close(store);
    }

    private DeploymentStore reopen() {
        close(store);
        store = open(place);
        return store;
    }

    /** Deployed in the order they are made, a second apart. */
    private Instant next = Instant.parse("2026-12-04T10:00:00Z");

    private Deployment deployment(String service, int version, Map<String, String> pins) {
        next = next.plusSeconds(1);
        var descriptor = new ServiceDescriptor(
                service,
                "com.example." + service,
                List.of(new EndpointDescriptor("predict", "POST", "Features", "Prediction", "{\"x\": 1}")),
                Map.of("min-instances", "1"));
        return new Deployment(
                service + "-v" + version,
                service,
                version,
                "ab".repeat(32),
                Path.of("/data/jars/" + service + ".jar"),
                descriptor,
                Map.of("threshold", "0.7"),
                Deployment.State.ACTIVE,
                next,
                pins,
                null,
                ScalingSettings.defaults().with(Map.of("max-instances", "8", "hold-timeout", "5s")),
                Retention.defaults().with(Map.of("max-attempts", "5")),
                Resources.none().with(Map.of("gpu", "1", "memory", "4Gi", "tolerations", "gpu=true:NoSchedule")),
                Access.open().with(Map.of("require-token", "true", "rate", "600/min", "burst", "20")));
    }

    @Test
    void versionsCountUpPerServiceFromOne() {
        assertThat(store.nextVersion("iris")).isEqualTo(1);

        store.activate(deployment("iris", 1, Map.of()));
        store.activate(deployment("iris", 2, Map.of()));

        assertThat(store.nextVersion("iris")).isEqualTo(3);
        assertThat(store.nextVersion("echo")).isEqualTo(1);
    }

    @Test
    void activatingANewVersionRetiresTheOldOneOfTheSameServiceOnly() {
        store.activate(deployment("iris", 1, Map.of()));
        store.activate(deployment("echo", 1, Map.of()));

        store.activate(deployment("iris", 2, Map.of()));

        assertThat(store.active()).extracting(Deployment::id).containsExactlyInAnyOrder("echo-v1", "iris-v2");
        assertThat(store.find("iris-v1").orElseThrow().state()).isEqualTo(Deployment.State.RETIRED);
        assertThat(store.all()).extracting(Deployment::id).containsExactly("iris-v2", "echo-v1", "iris-v1");
    }

    private static final Instant AT = Instant.parse("2026-12-05T12:00:00Z");

    private Deployment canary(String service, int version, int percent) {
        return deployment(service, version, Map.of())
                .withRollout(Rollout.deployed(
                        Variant.CANARY, new Split(percent), null, 0, null, Guardrails.DEFAULTS, "alice", AT));
    }

    @Test
    void aCanaryRunsBesideThePrimaryAndANewerCanaryReplacesOnlyTheCanary() {
        store.activate(deployment("iris", 1, Map.of()));
        store.activate(canary("iris", 2, 10));

        assertThat(store.active()).extracting(Deployment::id).containsExactly("iris-v1", "iris-v2");
        assertThat(store.active()).extracting(Deployment::variant).containsExactly(Variant.PRIMARY, Variant.CANARY);

        store.activate(canary("iris", 3, 20));

        assertThat(store.active()).extracting(Deployment::id).containsExactly("iris-v1", "iris-v3");
        assertThat(store.find("iris-v2").orElseThrow().state()).isEqualTo(Deployment.State.RETIRED);
    }

    @Test
    void aPromotedCanaryRetiresTheOldPrimaryAndItsRolloutComesBack() {
        store.activate(deployment("iris", 1, Map.of()));
        var canary = canary("iris", 2, 10);
        store.activate(canary);

        var promoted = canary.withRollout(canary.rollout().promoted("bob", "looks good", AT.plusSeconds(60)));
        store.update(promoted);

        assertThat(store.active()).extracting(Deployment::id).containsExactly("iris-v2");
        assertThat(store.find("iris-v1").orElseThrow().state()).isEqualTo(Deployment.State.RETIRED);
        var back = reopen().find("iris-v2").orElseThrow();
        assertThat(back).isEqualTo(promoted);
        assertThat(back.variant()).isEqualTo(Variant.PRIMARY);
        assertThat(back.rollout().history())
                .extracting(Rollout.Step::action, Rollout.Step::by, Rollout.Step::reason)
                .containsExactly(
                        tuple("deploy", "alice", "canary at 10%, held there"), tuple("promote", "bob", "looks good"));
    }

    @Test
    void aRolledBackCanaryIsRetiredAndThePrimaryStays() {
        store.activate(deployment("iris", 1, Map.of()));
        var canary = canary("iris", 2, 10);
        store.activate(canary);

        store.update(canary.withRollout(canary.rollout().rolledBack("flowhost", "errors", AT.plusSeconds(5)))
                .withState(Deployment.State.RETIRED));

        assertThat(store.active()).extracting(Deployment::id).containsExactly("iris-v1");
        assertThat(store.find("iris-v2").orElseThrow().rollout().state()).isEqualTo(Rollout.State.ROLLED_BACK);
    }

    @Test
    void aRetiredDeploymentServesNoMoreButIsKept() {
        store.activate(deployment("iris", 1, Map.of()));

        store.retire("iris-v1");

        assertThat(store.active()).isEmpty();
        assertThat(store.find("iris-v1").orElseThrow().state()).isEqualTo(Deployment.State.RETIRED);
        assertThat(store.find("nope-v1")).isEmpty();
    }

    @Test
    void everythingADeploymentHoldsComesBackAfterAReopen() {
        var original = deployment("iris", 1, Map.of("IrisFlow", "1795691852170532", "IrisFlow?tag=prod", "17"));
        store.activate(original);

        var back = reopen().find("iris-v1").orElseThrow();

        assertThat(back).isEqualTo(original);
        assertThat(back.scaling().maxInstances()).isEqualTo(8);
        assertThat(back.retention().maxAttempts()).isEqualTo(5);
        assertThat(back.resources().gpus()).isEqualTo(1);
        assertThat(back.access().tokenRequired()).isTrue();
        assertThat(back.access().rate()).isEqualTo(new Rate(10, 20));
        assertThat(back.pins()).containsEntry("IrisFlow?tag=prod", "17");
    }

    @Test
    void aModelDeploymentWithoutAJarIsKept() throws IOException {
        var descriptor = new ServiceDescriptor("iris-onnx", "onnx:metaflow://IrisFlow/17/end/model_onnx", List.of());
        var model = new Deployment(
                "iris-onnx-v1",
                "iris-onnx",
                1,
                "",
                null,
                descriptor,
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.parse("2026-12-04T10:00:00Z"),
                Map.of("IrisFlow", "17"),
                "metaflow://IrisFlow/17/end/model_onnx",
                ScalingSettings.defaults(),
                Retention.defaults());
        store.activate(model);

        assertThat(reopen().find("iris-onnx-v1").orElseThrow()).isEqualTo(model);
        assertThat(Files.exists(place)).isTrue();
    }
}
