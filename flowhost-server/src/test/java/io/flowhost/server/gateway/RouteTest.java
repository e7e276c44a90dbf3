package io.flowhost.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.runtime.protocol.ServiceDescriptor;
import io.flowhost.server.registry.Deployment;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static final Deployment DEPLOYMENT = new Deployment("echo-v1", "echo", 1, "sha", Path.of("echo.jar"),
            new ServiceDescriptor("echo", "Echo", List.of()), Map.of(), Deployment.State.ACTIVE, Instant.EPOCH, Map.of(), null);

    private static Backend backend(String id, int inFlight) {
        var backend = new Backend(id, new InetSocketAddress("127.0.0.1", 1));
        for (int i = 0; i < inFlight; i++) {
            backend.begin();
        }
        return backend;
    }

    @Test
    void noReadyInstanceMeansNoPick() {
        assertThat(new Route(DEPLOYMENT, List.of()).pick()).isNull();
    }

    @Test
    void ofTwoInstancesTheLessBusyIsAlwaysPicked() {
        var idle = backend("a", 0);
        var busy = backend("b", 5);
        var route = new Route(DEPLOYMENT, List.of(busy, idle));

        for (int i = 0; i < 100; i++) {
            assertThat(route.pick()).isSameAs(idle);
        }
    }

    @Test
    void theBusiestOfManyInstancesIsNeverPicked() {
        var busiest = backend("z", 100);
        var route = new Route(DEPLOYMENT, List.of(backend("a", 1), backend("b", 2), backend("c", 3), busiest));

        for (int i = 0; i < 1000; i++) {
            assertThat(route.pick()).isNotSameAs(busiest);
        }
    }
}
