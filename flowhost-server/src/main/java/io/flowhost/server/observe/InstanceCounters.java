package io.flowhost.server.observe;

import io.flowhost.server.observe.Metrics.InstanceUse;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each instance's counters on {@code /metrics}: its CPU, its prediction logging and the spans its
 * tracing dropped, as last read at a scrape.
 */
final class InstanceCounters {

    private final MeterRegistry registry;
    private final Map<String, Counters> byInstance = new HashMap<>(); // by instance id

    InstanceCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One instance's counters: the CPU its process used (from /proc), its prediction logging and its
     * dropped spans (from its {@code /healthz}), as last read.
     *
     * <p>Counters per instance, not per service: an instance's count starts at 0 with its process
     * and only grows, and its id ({@code iris-v3-7}) is never reused by this server, so each series
     * is monotonic, and it ends when the instance stops. Prometheus' {@code increase()} and
     * {@code rate()} take series that end, and {@code sum by (service)} adds the live ones. One
     * series per service summed here would instead drop when an instance stops (its count leaves
     * the sum), which Prometheus reads as a reset and would count the remaining total again. What
     * an instance logged between the last scrape and its stop is not seen: a few seconds' worth.
     */
    private final class Counters {
        final AtomicLong cpuMicros = new AtomicLong();
        final AtomicLong logged = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong spansDropped = new AtomicLong();
        final Tags tags;
        final List<Meter> meters = new ArrayList<>();
        boolean cpuRead;
        boolean predictionsRead;
        boolean spansRead;

        Counters(Tags tags) {
            this.tags = tags;
        }

        void update(InstanceUse use) {
            // never backwards, even if a report arrives out of order; a series appears once first read
            if (use.cpuSeconds() >= 0) {
                cpuMicros.accumulateAndGet(Math.round(use.cpuSeconds() * 1e6), Math::max);
                if (!cpuRead) {
                    cpuRead = true;
                    meters.add(FunctionCounter.builder("flowhost.instance.cpu", cpuMicros, micros -> micros.get() / 1e6)
                            .baseUnit("seconds")
                            .description("CPU time an instance process used since it started")
                            .tags(tags)
                            .register(registry));
                }
            }
            if (use.predictionsLogged() >= 0) {
                predictions(use);
            }
            if (use.spansDropped() >= 0) {
                spans(use.spansDropped());
            }
        }

        private void predictions(InstanceUse use) {
            if (!predictionsRead) {
                predictionsRead = true;
                meters.add(FunctionCounter.builder("flowhost.predictions.logged", logged, AtomicLong::doubleValue)
                        .description("Predictions an instance's loggers took, since it started")
                        .tags(tags)
                        .register(registry));
                meters.add(FunctionCounter.builder("flowhost.predictions.dropped", dropped, AtomicLong::doubleValue)
                        .description("Sampled predictions an instance dropped because its log buffer was full")
                        .tags(tags)
                        .register(registry));
                meters.add(FunctionCounter.builder("flowhost.prediction.log.errors", errors, AtomicLong::doubleValue)
                        .description("Prediction logger calls that failed in an instance")
                        .tags(tags)
                        .register(registry));
            }
            logged.accumulateAndGet(use.predictionsLogged(), Math::max);
            dropped.accumulateAndGet(use.predictionsDropped(), Math::max);
            errors.accumulateAndGet(use.predictionLogErrors(), Math::max);
        }

        private void spans(long dropped) {
            if (!spansRead) {
                spansRead = true;
                meters.add(FunctionCounter.builder(Metrics.SPANS_DROPPED, spansDropped, AtomicLong::doubleValue)
                        .description(Metrics.SPANS_DROPPED_HELP)
                        .tags(tags.and("process", "instance"))
                        .register(registry));
            }
            spansDropped.accumulateAndGet(dropped, Math::max);
        }
    }

    /** Counts each instance's CPU, predictions and dropped spans; one that did not answer keeps its last counts. */
    synchronized void refresh(List<InstanceUse> instances) {
        var present = new HashSet<String>();
        for (var i : instances) {
            present.add(i.instance());
            if (i.predictionsLogged() >= 0 || i.cpuSeconds() >= 0 || i.spansDropped() >= 0) {
                byInstance
                        .computeIfAbsent(
                                i.instance(), id -> new Counters(Tags.of("service", i.service(), "instance", id)))
                        .update(i);
            }
        }
        for (var gone = byInstance.entrySet().iterator(); gone.hasNext(); ) {
            var entry = gone.next();
            if (!present.contains(entry.getKey())) {
                entry.getValue().meters.forEach(registry::remove);
                gone.remove();
            }
        }
    }
}
