package io.flowhost.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.gateway.RouteTable;
import io.flowhost.state.Cluster;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayLinkTest {

    private final SlowDatabase database = new SlowDatabase();
    private final GatewayLink link = new GatewayLink(
            database, () -> "http://127.0.0.1:8080", new RouteTable(Clock.systemUTC()), Clock.systemUTC());

    @AfterEach
    void close() {
        database.answer();
        link.close();
    }

    @Test
    void callsHeldForOneDeploymentWhileItsWakeWaitsForTheDatabaseShareOneReport() {
        for (int i = 0; i < 1_000; i++) {
            link.wake("svc-v1"); // 1,000 calls held at once on this follower
        }
        database.answer();
        awaitWhatTheLinkWasAskedBefore();

        // the wake on its way when the others came, and at most one more after it (a call held meanwhile is reported)
        assertThat(database.reports).hasValueBetween(1, 2);
        assertThat(database.wakes).containsOnly("svc-v1").hasSizeBetween(1, 2);
    }

    @Test
    void aCallHeldForAnotherDeploymentWakesItToo() {
        link.wake("svc-v1");
        link.wake("other-v1");
        database.answer();
        awaitWhatTheLinkWasAskedBefore();

        assertThat(database.wakes).contains("svc-v1", "other-v1");
    }

    /** The link's one thread runs tasks in order: once this one ran, every wake queued before it did. */
    private void awaitWhatTheLinkWasAskedBefore() {
        var done = new CountDownLatch(1);
        link.execute(done::countDown);
        await().atMost(Duration.ofSeconds(30)).until(() -> done.getCount() == 0);
    }

    /** The shared state, its reports held up until {@link #answer} (a busy database), counting what it is told. */
    private static final class SlowDatabase implements Cluster {
        final AtomicInteger reports = new AtomicInteger();
        final List<String> wakes = new CopyOnWriteArrayList<>();
        private final CountDownLatch answering = new CountDownLatch(1);

        void answer() {
            answering.countDown();
        }

        @Override
        public void report(String gateway, String address, Map<String, Demand> demand, Instant now) {
            reports.incrementAndGet();
            try {
                answering.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wake(String deploymentId) {
            wakes.add(deploymentId);
        }

        @Override
        public Map<String, String> gateways(Instant since) {
            return Map.of();
        }

        @Override
        public Map<String, Demand> demandOfOthers(String self, Instant since) {
            return Map.of();
        }

        @Override
        public void publish(long term, String deploymentId, List<InstanceAddress> ready) {}

        @Override
        public Map<String, Published> published() {
            return Map.of();
        }

        @Override
        public void listen(Listener listener) {}

        @Override
        public void keepJar(String sha256, Path jar) {}

        @Override
        public void dropJar(String sha256) {}

        @Override
        public boolean copyJar(String sha256, OutputStream out) {
            return false;
        }

        @Override
        public byte[] signingKey() {
            return new byte[32];
        }
    }
}
