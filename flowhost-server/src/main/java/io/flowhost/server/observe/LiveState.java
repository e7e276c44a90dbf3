package io.flowhost.server.observe;

import io.flowhost.alerts.RecordingStats;
import io.flowhost.control.deploy.Deployments;
import io.flowhost.domain.instance.InstanceState;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.Traffic;
import io.flowhost.state.RequestStore;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeMap;

/**
 * What the gauges and the alert rules on held calls and queue age read from the running platform: each active
 * deployment's load and instances, and each instance's use of the machine.
 */
public final class LiveState {

    private static final System.Logger LOG = System.getLogger("flowhost.metrics");

    private final Deployments deployments;
    private final RouteTable routes;
    private final RequestStore requests;
    private final InstanceUsage usage = new InstanceUsage();
    private final InstantSource clock;

    public LiveState(Deployments deployments, RouteTable routes, RequestStore requests, InstantSource clock) {
        this.deployments = deployments;
        this.routes = routes;
        this.requests = requests;
        this.clock = clock;
    }

    /** What the gauges show at a scrape. */
    public Metrics.Snapshot snapshot() {
        var now = clock.instant();
        var instances = deployments.instances();
        var services = new ArrayList<Metrics.ServiceLoad>();
        var uses = new ArrayList<Metrics.InstanceUse>();
        for (var d : deployments.active()) {
            var traffic = routes.traffic(d.id());
            var byState = new TreeMap<String, Integer>();
            for (var state : InstanceState.values()) {
                if (state != InstanceState.STOPPED) {
                    byState.put(state.name().toLowerCase(Locale.ROOT), 0);
                }
            }
            for (var i : instances) {
                if (!i.deploymentId().equals(d.id())) {
                    continue;
                }
                byState.merge(i.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
                if (i.pid() > 0) {
                    var parts = i.address().split(":");
                    var health = usage.health(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
                    uses.add(new Metrics.InstanceUse(
                            d.service(),
                            i.id(),
                            usage.cpuSeconds(i.pid()),
                            usage.rssBytes(i.pid()),
                            health.heapUsedBytes(),
                            health.predictionsLogged(),
                            health.predictionsDropped(),
                            health.predictionLogErrors(),
                            health.spansDropped()));
                }
            }
            double oldest = requests.oldestQueued(d.id())
                    .map(at -> Math.max(0, Duration.between(at, now).toMillis() / 1000.0))
                    .orElse(0.0);
            services.add(new Metrics.ServiceLoad(
                    d.service(),
                    traffic.map(Traffic::inFlight).orElse(0),
                    traffic.map(Traffic::held).orElse(0),
                    byState,
                    requests.queued(d.id()),
                    oldest));
        }
        return new Metrics.Snapshot(services, uses);
    }

    /** Held calls and the oldest queued request of each service, for the alert rules on them; every second. */
    public void sampleFor(RecordingStats stats) {
        try {
            var now = clock.instant();
            for (var d : deployments.active()) {
                stats.held(
                        d.service(), routes.traffic(d.id()).map(Traffic::held).orElse(0), now);
                stats.queued(
                        d.service(),
                        requests.oldestQueued(d.id())
                                .map(at -> Duration.between(at, now))
                                .orElse(null),
                        now);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sampling gauges for alerts failed: " + e);
        }
    }
}
