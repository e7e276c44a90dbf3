package io.flowhost.server.access;

import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The deployment the admission tests call: service {@code iris}, active, with the access asked for. */
final class TestDeployments {

    private TestDeployments() {}

    static Deployment iris(Access access, Instant deployedAt) {
        return new Deployment(
                "iris-v1",
                "iris",
                1,
                "",
                Path.of("iris.jar"),
                new ServiceDescriptor("iris", "Iris", List.of()),
                Map.of(),
                Deployment.State.ACTIVE,
                deployedAt,
                Map.of(),
                null,
                ScalingSettings.defaults(),
                Retention.defaults(),
                Resources.none(),
                access);
    }
}
