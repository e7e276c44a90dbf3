package io.flowhost.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Deployment SVC = new Deployment(
            "svc-v1",
            "svc",
            1,
            "",
            Path.of("svc.jar"),
            new ServiceDescriptor("svc", "Svc", List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", ""))),
            Map.of(),
            Deployment.State.ACTIVE,
            Instant.EPOCH,
            Map.of(),
            null,
            ScalingSettings.defaults(),
            Retention.defaults());

    private static InstanceAddress at(String id, int port) {
        return new InstanceAddress(id, new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void anInstanceKeepsItsBackendWhileItsAddressStaysTheSame() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        var before = routes.get("svc").traffic().backends().getFirst();

        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001), at("svc-v1-2", 9002)));

        assertThat(routes.get("svc").traffic().backends()).hasSize(2).first().isSameAs(before);
    }

    @Test
    void theSameIdAtAnotherAddressIsAnotherInstance() {
        // A new leader counts its instance ids from 1 again; its svc-v1-1 is not the dead leader's.
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));

        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9555)));

        assertThat(routes.get("svc").traffic().backends())
                .singleElement()
                .satisfies(b -> assertThat(b.address().getPort()).isEqualTo(9555));
    }
}
