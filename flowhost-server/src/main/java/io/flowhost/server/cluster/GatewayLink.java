package io.flowhost.server.cluster;

import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.Traffic;
import io.flowhost.state.Cluster;
import io.flowhost.state.Cluster.Demand;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This gateway's line to the others sharing its state: every second it reports that it is alive, where, and its
 * demand on each deployment (calls in flight, held, the last arrival), which the leader's autoscaler adds to its
 * own; a call held for want of an instance is reported at once and the leader woken. Its own thread, so that
 * neither an event loop nor the autoscaler ever waits for the database.
 */
public final class GatewayLink implements AutoCloseable {

    /** How often each gateway reports. */
    public static final Duration REPORT_EVERY = Duration.ofSeconds(1);

    /** A gateway not heard from for this long is not counted: it died, or cannot reach the database. */
    public static final Duration FRESH = Duration.ofSeconds(3);

    /** How long the others' demand read by the autoscaler is reused: one read per tick, not per deployment. */
    private static final Duration REREAD_AFTER = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger("flowhost.cluster");

    private final Cluster cluster;
    private volatile String name;
    private final Supplier<String> address;
    private final RouteTable routes;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gateway-link").daemon().factory());
    private final Set<String> wakesPending = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Demand> others = Map.of();
    private volatile long othersReadAt = Long.MIN_VALUE / 2;
    private volatile boolean failing;

    /**
     * @param address where other gateways reach this one, e.g. {@code http://10.0.0.7:8080}
     */
    public GatewayLink(Cluster cluster, Supplier<String> address, RouteTable routes, Clock clock) {
        this.cluster = cluster;
        this.address = address;
        this.routes = routes;
        this.clock = clock;
    }

    /** Reports now and every second from now on, as {@code name} (the leadership lease's name for this gateway). */
    public void start(String name) {
        this.name = name;
        thread.scheduleWithFixedDelay(this::report, 0, REPORT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A call waits here for an instance of a deployment: reports it at once and asks the leader to look; repeated
     * wakes of a deployment coalesce.
     */
    public void wake(String deploymentId) {
        // Every held call wakes: a burst would queue a transaction and a notify for each, behind each other. One
        // queued per deployment is enough, as its report reads the held calls when it runs.
        if (!wakesPending.add(deploymentId)) {
            return;
        }
        execute(() -> {
            wakesPending.remove(deploymentId); // before reporting: a call held from now on is reported again
            report();
            try {
                cluster.wake(deploymentId);
            } catch (RuntimeException e) {
                // the next report carries the held call anyway
            }
        });
    }

    /** Runs a task on this link's thread: what must not hold up the thread that hears the news. */
    public void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: this gateway stops, and what it would have said no longer matters
        }
    }

    /** The other live gateways' demand on a deployment, read at most twice a second. */
    public Demand othersDemand(String deploymentId) {
        long now = System.nanoTime();
        if (now - othersReadAt > REREAD_AFTER.toNanos()) {
            try {
                others = cluster.demandOfOthers(name, clock.instant().minus(FRESH));
            } catch (RuntimeException e) {
                others = Map.of(); // the database is away: decide on what this gateway sees
            }
            othersReadAt = now;
        }
        return others.getOrDefault(deploymentId, new Demand(0, 0, null));
    }

    /** Forgets the others' demand read last, so that the next decision reads it fresh (a wake came). */
    public void forgetOthers() {
        othersReadAt = Long.MIN_VALUE / 2;
    }

    /** Where a live gateway listens, if it reported lately. */
    public Optional<String> addressOf(String gateway) {
        return Optional.ofNullable(
                cluster.gateways(clock.instant().minus(FRESH)).get(gateway));
    }

    private void report() {
        try {
            cluster.report(name, address.get(), demand(), clock.instant());
            if (failing) {
                LOG.log(Level.INFO, "reporting to the other gateways again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.log(
                        Level.WARNING,
                        "cannot report this gateway's demand (" + e.getMessage() + "); trying again every second");
                failing = true;
            }
        }
    }

    private Map<String, Demand> demand() {
        var demand = new HashMap<String, Demand>();
        for (Traffic t : routes.traffics()) {
            if (t.inFlight() > 0 || t.held() > 0 || t.lastArrival() != null) {
                demand.put(t.deploymentId(), new Demand(t.inFlight(), t.held(), t.lastArrival()));
            }
        }
        return demand;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
