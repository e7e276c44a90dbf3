package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.gateway.RouteTable;
import io.flowhost.state.contract.TempStore;
import io.flowhost.state.sqlite.SqliteRequestStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the autoscaler counts as a deployment's queued demand, against a real SQLite store and route table. */
class QueuedDemandTest {

    @RegisterExtension
    final TempStore temp = new TempStore(place -> SqliteRequestStore.open(place.resolve("requests.db")));

    private void queue(String deploymentId, int n) {
        for (int i = 0; i < n; i++) {
            temp.store()
                    .submit(
                            temp.call(deploymentId),
                            Retention.defaults(),
                            temp.clock().instant())
                    .join();
        }
    }

    @Test
    void aBacklogLeftOnAReplacedVersionIsDemandOfThePrimaryThatRunsIt() {
        queue("echo-v1", 3);
        queue("echo-v2", 2);
        var routes = new RouteTable(temp.clock());
        routes.readyChanged(version(1), List.of(at("echo-v1-1", 9001)));
        routes.readyChanged(version(2), List.of(at("echo-v2-1", 9101)));

        assertThat(FlowhostServer.queuedDemand(routes, temp.store(), "echo-v2"))
                .as("while echo-v1 is routed, its calls are its own")
                .isEqualTo(2);

        routes.retired(version(1));

        assertThat(FlowhostServer.queuedDemand(routes, temp.store(), "echo-v2")).isEqualTo(5);
    }

    private static Deployment version(int n) {
        return new Deployment(
                "echo-v" + n,
                "echo",
                n,
                "",
                Path.of("echo.jar"),
                new ServiceDescriptor(
                        "echo", "Echo", List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", ""))),
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults(),
                Retention.defaults());
    }

    private static InstanceAddress at(String id, int port) {
        return new InstanceAddress(id, new InetSocketAddress("127.0.0.1", port));
    }
}
