package io.flowhost.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The balancer and the activator's holding of calls, without sockets. */
class TrafficTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<String> woken = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private Traffic traffic(int maxConcurrency, int maxHeld, Duration holdTimeout) {
        return new Traffic(
                "svc-v1", maxConcurrency, maxHeld, holdTimeout, InstantSource.fixed(Instant.EPOCH), woken::add);
    }

    private static Backend backend(Traffic traffic, String id, int busy) {
        var backend = new Backend(id, new InetSocketAddress("127.0.0.1", 1), null, traffic);
        for (int i = 0; i < busy; i++) {
            backend.tryReserve(Integer.MAX_VALUE);
        }
        return backend;
    }

    private Held held(String name) {
        return new Held(
                loop,
                backend -> events.add(name + "->" + backend.instanceId()),
                failure -> events.add(name + " failed: " + failure.getMessage()));
    }

    @Test
    void ofTwoInstancesTheLessBusyIsAlwaysChosen() {
        var traffic = traffic(100, 10, Duration.ofSeconds(1));
        var idle = backend(traffic, "idle", 0);
        var busy = backend(traffic, "busy", 5);
        traffic.setBackends(List.of(busy, idle));

        for (int i = 0; i < 50; i++) {
            assertThat(traffic.reserve()).isSameAs(idle);
            traffic.release(idle);
        }
    }

    @Test
    void anInstanceAtItsConcurrencyLimitGetsNoMoreCalls() {
        var traffic = traffic(2, 10, Duration.ofSeconds(1));
        var only = backend(traffic, "only", 0);
        traffic.setBackends(List.of(only));

        assertThat(traffic.reserve()).isSameAs(only);
        assertThat(traffic.reserve()).isSameAs(only);
        assertThat(traffic.reserve()).isNull();
        assertThat(traffic.inFlight()).isEqualTo(2);
    }

    @Test
    void heldCallsWakeTheDeploymentAndGoOutInArrivalOrderWhenAnInstanceIsReady() {
        var traffic = traffic(1, 10, Duration.ofSeconds(30));
        assertThat(traffic.reserve()).isNull();
        traffic.hold(held("first"));
        traffic.hold(held("second"));
        assertThat(woken).containsOnly("svc-v1");
        assertThat(traffic.held()).isEqualTo(2);

        var started = backend(traffic, "i1", 0);
        traffic.setBackends(List.of(started));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        assertThat(events).containsExactly("first->i1"); // one slot: the second waits
        traffic.release(started);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("first->i1", "second->i1");
        assertThat(traffic.held()).isZero();
    }

    @Test
    void pastTheLimitACallIsNotHeld() {
        var traffic = traffic(1, 2, Duration.ofSeconds(30));

        assertThat(traffic.hold(held("a"))).isTrue();
        assertThat(traffic.hold(held("b"))).isTrue();
        assertThat(traffic.hold(held("c"))).isFalse();
        assertThat(traffic.held()).isEqualTo(2);
    }

    @Test
    void aCallHeldLongerThanTheStartupTimeoutFailsSayingTheServiceIsStillStarting() {
        var traffic = traffic(1, 10, Duration.ofMillis(50));

        traffic.hold(held("late"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
        assertThat(events.getFirst()).startsWith("late failed:").contains("still starting");
        assertThat(traffic.held()).isZero();
    }

    @Test
    void aRetiredDeploymentsHeldCallsFailAtOnce() {
        var traffic = traffic(1, 10, Duration.ofSeconds(30));
        traffic.hold(held("orphan"));

        traffic.abandonHeld(call -> call.abandon("gone"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
        assertThat(events).containsExactly("orphan failed: gone");
    }

    @Test
    void aCallHeldAfterItsDeploymentRetiredGoesWhereTheRetirementSentTheOthersAtOnce() {
        // Its caller read the routes just before the retirement: kept here, it would wait out the whole hold timeout.
        var traffic = traffic(1, 10, Duration.ofSeconds(30));
        traffic.hold(held("early"));
        traffic.retire(call -> call.abandon("gone"));

        assertThat(traffic.hold(held("late"))).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("early failed: gone", "late failed: gone");
        assertThat(traffic.held()).isZero();
    }
}
