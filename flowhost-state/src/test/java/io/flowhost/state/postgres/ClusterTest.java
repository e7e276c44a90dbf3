package io.flowhost.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.state.Cluster;
import io.flowhost.state.Cluster.Demand;
import io.flowhost.state.Cluster.Published;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateways on one database hear each other: demand summed, instances published by term, news within a second. */
class ClusterTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(30); // a loaded machine; it takes milliseconds

    private PostgresUrl url;
    private PostgresStateStore a;
    private PostgresStateStore b;

    @BeforeEach
    void open() {
        url = PostgresUrl.parse(TestPostgres.shared().newDatabase());
        a = PostgresStateStore.open(url);
        b = PostgresStateStore.open(url);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static InstanceAddress instance(String id, int port) {
        return new InstanceAddress(id, new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void theDemandOfOtherLiveGatewaysIsSummedPerDeployment() {
        a.cluster().report("a", "http://a:1", Map.of("iris-v1", new Demand(1, 2, T0)), T0);
        b.cluster().report("b", "http://b:1", Map.of("iris-v1", new Demand(3, 4, T0.plusSeconds(1))), T0);
        b.cluster().report("c", "http://c:1", Map.of("iris-v1", new Demand(5, 6, T0)), T0);
        b.cluster().report("stale", "http://s:1", Map.of("iris-v1", new Demand(100, 100, T0)), T0.minusSeconds(60));

        var others = a.cluster().demandOfOthers("a", T0.minusSeconds(3));

        assertThat(others).containsOnly(Map.entry("iris-v1", new Demand(8, 10, T0.plusSeconds(1))));
        assertThat(a.cluster().gateways(T0.minusSeconds(3)))
                .containsOnly(Map.entry("a", "http://a:1"), Map.entry("b", "http://b:1"), Map.entry("c", "http://c:1"));
    }

    @Test
    void aReportReplacesTheGatewaysLastOne() {
        b.cluster().report("b", "http://b:1", Map.of("iris-v1", new Demand(3, 4, T0)), T0);
        b.cluster().report("b", "http://b:1", Map.of("other-v1", new Demand(1, 0, T0)), T0.plusSeconds(1));

        assertThat(a.cluster().demandOfOthers("a", T0)).containsOnlyKeys("other-v1");
    }

    @Test
    void aNewerTermsInstancesAreNeverReplacedByAnOlderTerms() {
        a.cluster().publish(2, "iris-v1", List.of(instance("iris-v1-1", 9001)));
        b.cluster().publish(1, "iris-v1", List.of(instance("iris-v1-9", 9009)));

        assertThat(b.cluster().published())
                .containsOnly(Map.entry("iris-v1", new Published(2, List.of(instance("iris-v1-1", 9001)))));

        a.cluster().publish(3, "iris-v1", List.of());
        assertThat(b.cluster().published().get("iris-v1")).isEqualTo(new Published(3, List.of()));
    }

    @Test
    void everyGatewayHearsOfPublishedInstancesDeploysAndWakes() {
        var heard = new ConcurrentLinkedQueue<String>();
        b.cluster().listen(new Cluster.Listener() {
            @Override
            public void changed() {
                heard.add("changed");
            }

            @Override
            public void wake(String deploymentId) {
                heard.add("wake " + deploymentId);
            }
        });
        await().atMost(HEARD_WITHIN).until(() -> heard.contains("changed")); // the first read, on connecting
        heard.clear();

        a.cluster().wake("iris-v1");
        await().atMost(HEARD_WITHIN).until(() -> heard.contains("wake iris-v1"));

        heard.clear();
        a.cluster().publish(1, "iris-v1", List.of(instance("iris-v1-1", 9001)));
        await().atMost(HEARD_WITHIN).until(() -> heard.contains("changed"));

        heard.clear();
        a.deployments().retire("iris-v1");
        await().atMost(HEARD_WITHIN).until(() -> heard.contains("changed"));
    }

    @Test
    void everyGatewaySharesOneRandomSigningKey() {
        var key = a.cluster().signingKey();

        assertThat(key).hasSize(32);
        assertThat(b.cluster().signingKey()).containsExactly(key);
        assertThat(a.cluster().signingKey()).containsExactly(key);
    }

    @Test
    void aJarKeptThroughOneGatewayIsReadThroughAnother(@TempDir Path dir) throws IOException {
        var bytes = new byte[2 * PostgresJars.CHUNK + 12_345]; // three pieces, the last a short one
        new Random(7).nextBytes(bytes);
        var jar = Files.write(dir.resolve("service.jar"), bytes);

        a.cluster().keepJar("abc", jar);
        a.cluster().keepJar("abc", jar); // kept already: nothing written twice

        assertThat(copied(b, "abc")).isEqualTo(bytes);
        assertThat(a.cluster().copyJar("nope", new ByteArrayOutputStream())).isFalse();

        b.cluster().dropJar("abc");

        assertThat(a.cluster().copyJar("abc", new ByteArrayOutputStream())).isFalse();
    }

    @Test
    void aJarIsKeptInPiecesNoLargerThanAChunk(@TempDir Path dir) throws Exception {
        var bytes = new byte[2 * PostgresJars.CHUNK + 1];
        new Random(8).nextBytes(bytes);
        a.cluster().keepJar("big", Files.write(dir.resolve("big.jar"), bytes));

        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.prepareStatement(
                        "SELECT count(*), max(length(bytes)) FROM jar_chunks WHERE sha256 = 'big'");
                var rs = st.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(PostgresJars.CHUNK);
        }

        b.cluster().dropJar("big");

        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.prepareStatement("SELECT count(*) FROM jar_chunks");
                var rs = st.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as("the pieces go with their jar").isZero();
        }
    }

    private static byte[] copied(PostgresStateStore store, String sha256) {
        var out = new ByteArrayOutputStream();
        assertThat(store.cluster().copyJar(sha256, out)).isTrue();
        return out.toByteArray();
    }
}
