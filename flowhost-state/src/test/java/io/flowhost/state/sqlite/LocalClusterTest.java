package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.state.Cluster;
import io.flowhost.state.Cluster.Demand;
import io.flowhost.state.Cluster.Published;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server's cluster: nobody else's demand, what it publishes kept by term, and its own news heard at once. */
class LocalClusterTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private static InstanceAddress instance(int port) {
        return new InstanceAddress("svc-v1-1", new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void thereIsNoOtherGatewaysDemand() {
        var cluster = new LocalCluster();
        cluster.report("me", "http://127.0.0.1:8080", Map.of("svc-v1", new Demand(3, 1, T0)), T0);

        assertThat(cluster.demandOfOthers("me", T0)).isEmpty();
        assertThat(cluster.gateways(T0)).containsOnly(Map.entry("me", "http://127.0.0.1:8080"));
    }

    @Test
    void aNewerTermsSetIsKeptAndEveryPublishAndWakeIsHeard() {
        var cluster = new LocalCluster();
        var heard = new ArrayList<String>();
        cluster.listen(new Cluster.Listener() {
            @Override
            public void changed() {
                heard.add("changed");
            }

            @Override
            public void wake(String deploymentId) {
                heard.add("wake " + deploymentId);
            }
        });

        cluster.publish(2, "svc-v1", List.of(instance(9002)));
        cluster.publish(1, "svc-v1", List.of(instance(9001)));
        cluster.wake("svc-v1");

        assertThat(cluster.published()).containsOnly(Map.entry("svc-v1", new Published(2, List.of(instance(9002)))));
        assertThat(heard).containsExactly("changed", "changed", "wake svc-v1");
    }

    @Test
    void jarsStayUnderTheDataDirOnly(@TempDir Path dir) throws IOException {
        var cluster = new LocalCluster();
        cluster.keepJar("abc", Files.write(dir.resolve("service.jar"), new byte[] {1}));

        var out = new ByteArrayOutputStream();
        assertThat(cluster.copyJar("abc", out)).isFalse();
        assertThat(out.size()).isZero();
    }
}
