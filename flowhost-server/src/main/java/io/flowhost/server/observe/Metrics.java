package io.flowhost.server.observe;

import io.flowhost.gateway.observe.CallRecord;
import io.flowhost.server.access.Quotas;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * flowhost's metrics, in the Prometheus text format through Micrometer: calls and their latency
 * per service, endpoint and status class; in-flight and held calls; instances by state; cold
 * starts; scaling decisions; async queue depth and age; each instance's CPU, heap and RSS, and
 * the predictions it logged, dropped and failed to log; the spans the gateway's and each
 * instance's tracing dropped; each token's requests and those its quota or a service's refused. Meters on the call path are looked up once
 * per (service, endpoint, status class) and cached; gauges are read from the live state at scrape time.
 */
public final class Metrics {

    /** Latency buckets, in seconds, that an SLO on model calls is usually written against. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /**
     * One family for the gateway's and the instances' dropped spans, told apart by {@code process}; the
     * gateway's {@code service} and {@code instance} are empty, which Prometheus reads as no label.
     */
    static final String SPANS_DROPPED = "flowhost.spans.dropped";

    static final String SPANS_DROPPED_HELP = "Spans a process's tracing dropped because its export queue was full";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** A timer per status class, and the variant they are labelled with. */
    private record Timers(String variant, Timer[] byClass) {}

    /** deployment → endpoint → timers: two lookups on the call path, no key to build. */
    private final Map<String, Map<String, Timers>> calls = new ConcurrentHashMap<>();
    /** token name → its counters of calls let by and refused by its quota, looked up once per token. */
    private final Map<String, Counter[]> tokenCalls = new ConcurrentHashMap<>();

    /**
     * Callers with a JWT of the identity provider get a series each up to this many (they are not a list someone
     * keeps, as tokens are: an issuer may have thousands of users, and every series costs memory here and in
     * Prometheus); the calls of any more are counted together under {@link #OIDC_OTHERS}.
     */
    static final int MAX_OIDC_SERIES = 200;

    private static final String OIDC = "oidc:";
    static final String OIDC_OTHERS = "oidc:(others)";
    private final AtomicInteger oidcSeries = new AtomicInteger();
    /** Held here: Micrometer keeps only a weak reference to a function counter's object. */
    private volatile Supplier<Number> requestLogDropped;

    private volatile LongSupplier spansDropped;
    private volatile LongSupplier auditDropped;
    private final MultiGauge inFlight;
    private final MultiGauge held;
    private final MultiGauge instances;
    private final MultiGauge queued;
    private final MultiGauge oldestQueued;
    private final MultiGauge rss;
    private final MultiGauge heap;
    private final InstanceCounters counters = new InstanceCounters(registry);
    private final Map<String, TableMeters> tables = new ConcurrentHashMap<>();
    private final Map<String, BatchMeters> batches = new ConcurrentHashMap<>();
    /** Batch sizes counted as histogram buckets: powers of two up to the largest batch allowed. */
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private volatile Supplier<Snapshot> live = () -> Snapshot.EMPTY;

    /** The live state gauges read at scrape time. */
    public record Snapshot(List<ServiceLoad> services, List<InstanceUse> instances) {
        static final Snapshot EMPTY = new Snapshot(List.of(), List.of());
    }

    /** One service's load now. */
    public record ServiceLoad(
            String service,
            int inFlight,
            int held,
            Map<String, Integer> instancesByState,
            int queued,
            double oldestQueuedSeconds) {}

    /** One instance's use of the machine now, and its counts of predictions and dropped spans (-1 where unknown). */
    public record InstanceUse(
            String service,
            String instance,
            double cpuSeconds,
            long rssBytes,
            long heapUsedBytes,
            long predictionsLogged,
            long predictionsDropped,
            long predictionLogErrors,
            long spansDropped) {}

    public Metrics() {
        inFlight = MultiGauge.builder("flowhost.in.flight")
                .description("Calls sent to instances and not answered yet")
                .register(registry);
        held = MultiGauge.builder("flowhost.held.calls")
                .description("Calls held in the gateway for want of an instance")
                .register(registry);
        instances = MultiGauge.builder("flowhost.instances")
                .description("Instances by state")
                .register(registry);
        queued = MultiGauge.builder("flowhost.async.queued")
                .description("Async requests waiting to run")
                .register(registry);
        oldestQueued = MultiGauge.builder("flowhost.async.oldest.queued")
                .baseUnit("seconds")
                .description("Age of the oldest queued async request")
                .register(registry);
        rss = MultiGauge.builder("flowhost.instance.resident.memory")
                .baseUnit("bytes")
                .description("Resident memory of an instance process")
                .register(registry);
        heap = MultiGauge.builder("flowhost.instance.heap.used")
                .baseUnit("bytes")
                .description("Java heap in use in an instance")
                .register(registry);
    }

    /** Where gauges read the live state from, at each scrape. */
    public void liveState(Supplier<Snapshot> snapshot) {
        this.live = snapshot;
    }

    /** Counts one answered call and its latency (and for a batched endpoint, its batch's size and wait). */
    public void call(CallRecord call) {
        if (call.batchSize() > 0) {
            batch(call);
        }
        int status = call.status();
        int index = status >= 100 && status < 600 ? status / 100 - 1 : 4;
        timers(call.metricService(), call.metricDeployment(), call.metricVariant(), call.metricEndpoint())[index]
                .record(call.totalNanos(), TimeUnit.NANOSECONDS);
    }

    private Timer[] timers(String service, String deployment, String variant, String endpoint) {
        var byEndpoint = calls.get(deployment);
        if (byEndpoint == null) {
            byEndpoint = calls.computeIfAbsent(deployment, s -> new ConcurrentHashMap<>());
        }
        var timers = byEndpoint.get(endpoint);
        // Labels are interned strings: a promoted canary's variant changes once, and its timers with it.
        if (timers != null && timers.variant() == variant) {
            return timers.byClass();
        }
        var out = new Timer[CLASSES.length];
        for (int i = 0; i < CLASSES.length; i++) {
            out[i] = Timer.builder("flowhost.calls")
                    .description("Endpoint calls answered by the gateway")
                    .tags(
                            "service",
                            service,
                            "deployment",
                            deployment,
                            "variant",
                            variant,
                            "endpoint",
                            endpoint,
                            "status_class",
                            CLASSES[i])
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
        byEndpoint.put(endpoint, new Timers(variant, out));
        return out;
    }

    /**
     * Counts one lookup in a table, answered by the gateway: its keys found and missed, and how long it took.
     *
     * @param table the table's name, or {@code unknown} when no such table is published (so that made-up names
     *              make no labels)
     */
    public void tableLookup(String table, int hits, int misses, long nanos) {
        var meters = tables.get(table);
        if (meters == null) {
            meters = tables.computeIfAbsent(
                    table,
                    t -> new TableMeters(
                            Counter.builder("flowhost.table.keys")
                                    .description("Keys looked up in a table, by whether the table held them")
                                    .tags("table", t, "outcome", "hit")
                                    .register(registry),
                            Counter.builder("flowhost.table.keys")
                                    .description("Keys looked up in a table, by whether the table held them")
                                    .tags("table", t, "outcome", "miss")
                                    .register(registry),
                            Timer.builder("flowhost.table.lookups")
                                    .description("Lookups in a table answered by the gateway (one or many keys each)")
                                    .tags("table", t)
                                    .serviceLevelObjectives(BUCKETS)
                                    .register(registry)));
        }
        if (hits > 0) {
            meters.hits().increment(hits);
        }
        if (misses > 0) {
            meters.misses().increment(misses);
        }
        meters.latency().record(nanos, TimeUnit.NANOSECONDS);
    }

    private void batch(CallRecord call) {
        var key = call.metricDeployment() + "/" + call.metricEndpoint();
        var meters = batches.get(key);
        if (meters == null) {
            meters = batches.computeIfAbsent(
                    key,
                    k -> new BatchMeters(
                            DistributionSummary.builder("flowhost.batch.size")
                                    .description("Calls in the batch each call of a batched endpoint ran in")
                                    .tags(
                                            "service",
                                            call.metricService(),
                                            "deployment",
                                            call.metricDeployment(),
                                            "endpoint",
                                            call.metricEndpoint())
                                    .serviceLevelObjectives(BATCH_SIZES)
                                    .register(registry),
                            Timer.builder("flowhost.batch.queue")
                                    .description(
                                            "How long each call of a batched endpoint waited for its batch to start")
                                    .tags(
                                            "service",
                                            call.metricService(),
                                            "deployment",
                                            call.metricDeployment(),
                                            "endpoint",
                                            call.metricEndpoint())
                                    .serviceLevelObjectives(BUCKETS)
                                    .register(registry)));
        }
        meters.size().record(call.batchSize());
        if (call.batchQueueMicros() >= 0) {
            meters.queue().record(call.batchQueueMicros(), TimeUnit.MICROSECONDS);
        }
    }

    private record BatchMeters(DistributionSummary size, Timer queue) {}

    private record TableMeters(Counter hits, Counter misses, Timer latency) {}

    /** Counts a shadow copy: {@code agreed}, {@code disagreed} or {@code dropped} (the shadow had no room). */
    public void shadowCopy(String deployment, String outcome) {
        Counter.builder("flowhost.shadow.copies")
                .description("Copies of calls sent to a shadow version, by how its answer compared with the primary's")
                .tags("deployment", deployment, "outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Where the quotas count each token's calls and the calls they refuse. */
    public Quotas.Counts quotaCounts() {
        return new Quotas.Counts() {
            @Override
            public void tokenCall(String name, boolean limited) {
                var series = name;
                if (name.startsWith(OIDC) && !tokenCalls.containsKey(name) && oidcSeries.get() >= MAX_OIDC_SERIES) {
                    series = OIDC_OTHERS;
                }
                tokenCalls.computeIfAbsent(series, token -> callerCounters(token))[limited ? 1 : 0].increment();
            }

            @Override
            public void serviceLimited(String service) {
                Counter.builder("flowhost.calls.limited")
                        .description("Calls refused by their service's own quota")
                        .tag("service", service)
                        .register(registry)
                        .increment();
            }
        };
    }

    private Counter[] callerCounters(String token) {
        if (token.startsWith(OIDC) && !token.equals(OIDC_OTHERS)) {
            oidcSeries.incrementAndGet();
        }
        return new Counter[] {tokenCounter(token, "admitted"), tokenCounter(token, "limited")};
    }

    private Counter tokenCounter(String token, String outcome) {
        return Counter.builder("flowhost.token.calls")
                .description("Requests made with each token: let by, or refused by the token's quota")
                .tags("token", token, "outcome", outcome)
                .register(registry);
    }

    /** Counts a cold start and how long it took. */
    public void coldStart(String service, Duration took) {
        Counter.builder("flowhost.cold.starts")
                .description("Instances started")
                .tag("service", service)
                .register(registry)
                .increment();
        Timer.builder("flowhost.cold.start")
                .description("Time from starting an instance to its being ready")
                .tag("service", service)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(took);
    }

    /** Counts an instance that exited while it was serving. */
    public void crash(String service) {
        Counter.builder("flowhost.instance.crashes")
                .description("Instances that exited while serving")
                .tag("service", service)
                .register(registry)
                .increment();
    }

    /** Counts a scaling decision that changed the number of instances wanted. */
    public void scaled(String service, int from, int to) {
        Counter.builder("flowhost.scaling.decisions")
                .description("Scaling decisions that changed the instances wanted")
                .tags("service", service, "direction", to > from ? "up" : "down")
                .register(registry)
                .increment();
    }

    /** Counts request-log records dropped because the log fell behind. */
    public void requestLogDropped(Supplier<Number> dropped) {
        this.requestLogDropped = dropped;
        FunctionCounter.builder(
                        "flowhost.request.log.dropped", dropped, d -> d.get().doubleValue())
                .description("Request-log records dropped because the log fell behind")
                .register(registry);
    }

    /** Counts audit events dropped because the trail fell behind (someone sends refused requests in a flood). */
    public void auditDropped(LongSupplier dropped) {
        this.auditDropped = dropped; // held here: Micrometer holds a function counter's object weakly
        FunctionCounter.builder("flowhost.audit.dropped", dropped, LongSupplier::getAsLong)
                .description("Audit events dropped because the audit trail fell behind")
                .register(registry);
    }

    /** Counts the spans the gateway's tracing dropped because its export queue was full; only when it traces. */
    public void spansDropped(LongSupplier dropped) {
        this.spansDropped = dropped;
        FunctionCounter.builder(SPANS_DROPPED, dropped, LongSupplier::getAsLong)
                .description(SPANS_DROPPED_HELP)
                .tags("process", "gateway", "service", "", "instance", "")
                .register(registry);
    }

    /** The Prometheus text exposition of every metric, its gauges read now. */
    public String scrape() {
        refresh(live.get());
        return registry.scrape();
    }

    private void refresh(Snapshot now) {
        var inFlightRows = new ArrayList<MultiGauge.Row<?>>();
        var heldRows = new ArrayList<MultiGauge.Row<?>>();
        var instanceRows = new ArrayList<MultiGauge.Row<?>>();
        var queuedRows = new ArrayList<MultiGauge.Row<?>>();
        var oldestRows = new ArrayList<MultiGauge.Row<?>>();
        for (var s : now.services()) {
            var tags = Tags.of("service", s.service());
            inFlightRows.add(MultiGauge.Row.of(tags, s.inFlight()));
            heldRows.add(MultiGauge.Row.of(tags, s.held()));
            s.instancesByState()
                    .forEach((state, n) -> instanceRows.add(MultiGauge.Row.of(tags.and("state", state), n)));
            queuedRows.add(MultiGauge.Row.of(tags, s.queued()));
            oldestRows.add(MultiGauge.Row.of(tags, s.oldestQueuedSeconds()));
        }
        var rssRows = new ArrayList<MultiGauge.Row<?>>();
        var heapRows = new ArrayList<MultiGauge.Row<?>>();
        for (var i : now.instances()) {
            var tags = Tags.of("service", i.service(), "instance", i.instance());
            if (i.rssBytes() >= 0) {
                rssRows.add(MultiGauge.Row.of(tags, i.rssBytes()));
            }
            if (i.heapUsedBytes() >= 0) {
                heapRows.add(MultiGauge.Row.of(tags, i.heapUsedBytes()));
            }
        }
        inFlight.register(inFlightRows, true);
        held.register(heldRows, true);
        instances.register(instanceRows, true);
        queued.register(queuedRows, true);
        oldestQueued.register(oldestRows, true);
        rss.register(rssRows, true);
        heap.register(heapRows, true);
        counters.refresh(now.instances());
    }
}
