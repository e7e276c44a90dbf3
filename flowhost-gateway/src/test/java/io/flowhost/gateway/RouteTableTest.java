package io.flowhost.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.netty.channel.DefaultEventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    private static Deployment version(int n, Variant variant, int percent) {
        var d = new Deployment(
                "svc-v" + n,
                "svc",
                n,
                "",
                SVC.jar(),
                SVC.descriptor(),
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults(),
                Retention.defaults());
        return variant == Variant.PRIMARY
                ? d
                : d.withRollout(Rollout.deployed(
                        variant, new Split(percent), null, 0, null, Guardrails.DEFAULTS, "test", Instant.EPOCH));
    }

    @Test
    void aCanaryGetsARouteOfItsOwnBesideThePrimaryAndStickyKeysPickOne() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        routes.readyChanged(version(2, Variant.CANARY, 30), List.of(at("svc-v2-1", 9002)));

        var routing = routes.routing("svc");
        assertThat(routes.get("svc").deployment().id()).isEqualTo("svc-v1");
        assertThat(routing.other().deployment().id()).isEqualTo("svc-v2");
        assertThat(routing.variant()).isEqualTo(Variant.CANARY);
        for (var key : List.of("alice", "bob", "user-42", "")) {
            var headers = new DefaultHttpHeaders().set(Rollout.ROUTE_KEY, key);
            var expected = new Split(30).toOther(key) ? "svc-v2" : "svc-v1";
            assertThat(routing.pick(headers).deployment().id()).as(key).isEqualTo(expected);
            assertThat(routing.shadowFor(headers)).isNull();
        }
    }

    @Test
    void aShadowGetsCopiesAndNeverTheCallItself() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        routes.readyChanged(version(2, Variant.SHADOW, 100), List.of(at("svc-v2-1", 9002)));

        var routing = routes.routing("svc");
        var headers = new DefaultHttpHeaders();
        assertThat(routing.pick(headers).deployment().id()).isEqualTo("svc-v1");
        assertThat(routing.shadowFor(headers).deployment().id()).isEqualTo("svc-v2");
    }

    @Test
    void aPromotedCanaryTakesThePrimaryRouteAndARolledBackOneLeavesItAlone() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        var canary = version(2, Variant.CANARY, 10);
        routes.readyChanged(canary, List.of(at("svc-v2-1", 9002)));

        var promoted = canary.withRollout(canary.rollout().promoted("test", "healthy", Instant.EPOCH));
        routes.readyChanged(promoted, List.of(at("svc-v2-1", 9002)));
        routes.retired(SVC);

        assertThat(routes.get("svc").deployment().id()).isEqualTo("svc-v2");
        assertThat(routes.routing("svc").other()).isNull();

        var next = version(3, Variant.CANARY, 10);
        routes.readyChanged(next, List.of(at("svc-v3-1", 9003)));
        routes.retired(next);

        assertThat(routes.get("svc").deployment().id()).isEqualTo("svc-v2");
        assertThat(routes.routing("svc").other()).isNull();
        assertThat(routes.traffic("svc-v3")).isEmpty();
    }

    @Test
    void aCallHeldForACanaryJustRolledBackIsSentToThePrimary() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        var canary = version(2, Variant.CANARY, 50);
        routes.readyChanged(canary, List.of(at("svc-v2-1", 9002)));
        var picked = routes.traffic("svc-v2").orElseThrow(); // a caller read the routes before the rollback

        routes.retired(canary);
        var loop = new DefaultEventLoop();
        try {
            var sentTo = new CompletableFuture<String>();
            picked.hold(
                    new Held(loop, backend -> sentTo.complete(backend.instanceId()), sentTo::completeExceptionally));

            assertThat(sentTo).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("svc-v1-1");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void lateNewsOfAReplacedPrimaryDoesNotTakeTheRouteBack() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(version(2, Variant.PRIMARY, 0), List.of(at("svc-v2-1", 9002)));

        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));

        assertThat(routes.get("svc").deployment().id()).isEqualTo("svc-v2");
        assertThat(routes.traffic("svc-v1")).isEmpty();
    }

    @Test
    void anInstanceTakenOutOfTheRoutesStillCountsItsCallsInFlightUntilTheyAreAnswered() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));
        var backend = routes.get("svc").traffic().backends().getFirst();
        assertThat(backend.tryReserve(4)).isTrue();

        routes.retired(SVC);

        assertThat(routes.inFlight("svc-v1-1")).as("a drain waits on this").isEqualTo(1);
        backend.release();
        assertThat(routes.inFlight("svc-v1-1")).isZero();
    }

    @Test
    void onAGatewayWhereNothingDrainsAnInstanceGoneIsForgottenOnceItsCallsAreAnswered() {
        // A follower: instances leave its routes as the leader publishes, and no drain ever asks after them.
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001), at("svc-v1-2", 9002), at("svc-v1-3", 9003)));
        var first = routes.get("svc").traffic().backends().getFirst();
        assertThat(first.tryReserve(4)).isTrue();

        routes.readyChanged(SVC, List.of(at("svc-v1-2", 9002), at("svc-v1-3", 9003)));
        assertThat(routes.leavingCount()).as("its call is still in flight").isEqualTo(1);
        first.release();
        routes.readyChanged(SVC, List.of(at("svc-v1-3", 9003)));

        assertThat(routes.leavingCount()).isZero();
    }

    @Test
    void aCallThatPickedAnInstanceJustBeforeItWasScaledDownGetsNoSlotOnIt() {
        var routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001), at("svc-v1-2", 9002)));
        // the instance a call picked from the list it read just before the scale-down
        var picked = routes.get("svc").traffic().backends().get(1);

        routes.readyChanged(SVC, List.of(at("svc-v1-1", 9001)));

        assertThat(picked.tryReserve(4))
                .as("its drain found no call in flight and stops it: a call sent now would get 502")
                .isFalse();
        assertThat(routes.inFlight("svc-v1-2")).isZero();
    }

    @Test
    void whileScaleDownsRaceCallsEveryCallOnADrainingInstanceIsCountedByItsDrain() throws InterruptedException {
        var routes = new RouteTable(Clock.systemUTC());
        var stays = at("svc-v1-1", 9001);
        routes.readyChanged(SVC, List.of(stays));
        var traffic = routes.get("svc").traffic();
        var done = new AtomicBoolean();
        var uncounted = new AtomicInteger();
        var caller = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                var backend = traffic.reserve();
                if (backend == null) {
                    continue;
                }
                // what the supervisor's drain reads before it stops the instance this call is about to be sent to
                if (routes.inFlight(backend.instanceId()) == 0) {
                    uncounted.incrementAndGet();
                }
                traffic.release(backend);
            }
        });
        try {
            for (int round = 2; round < 20_000; round++) {
                routes.readyChanged(SVC, List.of(stays, at("svc-v1-" + round, 9000 + round)));
                routes.readyChanged(SVC, List.of(stays)); // scaled down again: that instance drains
            }
        } finally {
            done.set(true);
            caller.join();
        }

        assertThat(uncounted).hasValue(0);
    }
}
