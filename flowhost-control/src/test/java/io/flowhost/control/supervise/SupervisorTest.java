package io.flowhost.control.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisorTest {

    private static final Deployment SVC = new Deployment(
            "svc-v1",
            "svc",
            1,
            "",
            Path.of("svc.jar"),
            FakeDriver.SVC,
            Map.of(),
            Deployment.State.ACTIVE,
            Instant.EPOCH,
            Map.of(),
            null,
            ScalingSettings.defaults(),
            Retention.defaults());

    private final FakeDriver driver = new FakeDriver();
    private final Routes routes = new Routes();
    private final Supervisor supervisor = new Supervisor(driver, routes, id -> 0, Duration.ofSeconds(1));

    @AfterEach
    void close() {
        supervisor.close();
    }

    @Test
    void anInstanceScaledDownOutOfTheRoutesRunsOnWhileOtherGatewaysLetGoOfIt() throws Exception {
        // Other gateways send calls to it until they read the routes without it; this gateway's count misses those.
        try (var shared = new Supervisor(driver, routes, id -> 0, Duration.ofSeconds(1), Duration.ofSeconds(4))) {
            var instance = shared.launch(SVC);

            shared.scaleTo("svc-v1", 0);

            assertThat(routes.routed()).isEqualTo(Map.of("svc-v1", List.of()));
            // No call in flight here, but up for a while for the others' (stopped at once before).
            await().alias("still running while the others let go")
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> driver.running().contains(instance));
            await().atMost(Duration.ofSeconds(30)).until(() -> driver.running().isEmpty());
        }
    }

    @Test
    void launchingADeploymentIdStillSupervisedStopsTheInstancesSupervisedUnderItFirst() throws Exception {
        // What a deploy that failed after its start and was retried under the same version would do.
        supervisor.launch(SVC);

        var again = supervisor.launch(SVC);

        assertThat(driver.running()).containsExactly(again);
        assertThat(routes.routed()).isEqualTo(Map.of("svc-v1", List.of(again)));
        supervisor.retire("svc-v1");
        assertThat(driver.running()).isEmpty();
        assertThat(routes.routed()).isEmpty();
    }
}
