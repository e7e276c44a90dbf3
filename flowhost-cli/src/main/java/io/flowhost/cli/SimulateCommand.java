package io.flowhost.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.scaling.sim.SimulationOptions;
import io.flowhost.domain.scaling.sim.SimulationReport;
import io.flowhost.domain.scaling.sim.Simulator;
import io.flowhost.domain.scaling.sim.Trace;
import io.flowhost.domain.settings.Durations;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowhost simulate --trace <file>}: replays a request trace through the autoscaler and reports the cost. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay a request trace through the autoscaler on a virtual clock and report",
            "instance-seconds, cold starts, held calls and queueing delay: tune scaling",
            "settings for traffic bigger than one machine can produce.",
            "The trace is a CSV of arrival_seconds,duration_seconds, one call a line",
            "(a header and # comments allowed); bench/traces/ has a diurnal and a spiky one.",
            "Durations are written like 500ms, 30s, 5m or 1h."
        })
final class SimulateCommand implements Runnable {

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "The request trace to replay.")
    Path trace;

    @Option(
            names = "--tick",
            paramLabel = "DURATION",
            defaultValue = "1s",
            description = "How often the autoscaler decides (default: ${DEFAULT-VALUE}).")
    String tick;

    @Option(
            names = "--cold-start",
            paramLabel = "DURATION",
            defaultValue = "1s",
            description = "How long a new instance takes to become ready (default: ${DEFAULT-VALUE}).")
    String coldStart;

    @Option(names = "--min-instances", paramLabel = "N", description = "Default 0: scale to zero when idle.")
    String minInstances;

    @Option(names = "--max-instances", paramLabel = "N", description = "Default 4.")
    String maxInstances;

    @Option(
            names = "--target-in-flight",
            paramLabel = "CALLS",
            description = "Calls each instance should carry on average; default 4.")
    String targetInFlight;

    @Option(
            names = "--max-concurrency",
            paramLabel = "CALLS",
            description = "Calls one instance runs at most; beyond, calls wait; default 16.")
    String maxConcurrency;

    @Option(
            names = "--stable-window",
            paramLabel = "DURATION",
            description = "Averaging window of ordinary decisions; default 60s.")
    String stableWindow;

    @Option(names = "--panic-window", paramLabel = "DURATION", description = "Window that catches bursts; default 6s.")
    String panicWindow;

    @Option(
            names = "--panic-threshold",
            paramLabel = "FACTOR",
            description = "Panic at this many times the target per ready instance; default 2.0.")
    String panicThreshold;

    @Option(
            names = "--scale-down-delay",
            paramLabel = "DURATION",
            description = "Scale down only to the highest need seen within this long; default 30s.")
    String scaleDownDelay;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            description = "Time without calls before the last instance stops; default 5m.")
    String idleTimeout;

    @Option(
            names = "--hold-timeout",
            paramLabel = "DURATION",
            description = "A call held longer fails with 503; default 120s.")
    String holdTimeout;

    @Option(
            names = "--max-held",
            paramLabel = "CALLS",
            description = "Calls held at most; beyond, 503 at once; default 1000.")
    String maxHeld;

    @Option(names = "--json", description = "Print the settings and the report as JSON.")
    boolean json;

    @Override
    public void run() {
        var settings = settings();
        var options = options();
        var replayed = read(trace);
        long started = System.nanoTime();
        var report = Simulator.run(replayed, settings, options);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        System.out.print(
                json
                        ? json(settings, options, report)
                        : SimulationTable.render(trace, settings, options, report, tookMs));
    }

    private ScalingSettings settings() {
        var values = new LinkedHashMap<String, String>();
        put(values, "min-instances", minInstances);
        put(values, "max-instances", maxInstances);
        put(values, "target-in-flight", targetInFlight);
        put(values, "max-concurrency", maxConcurrency);
        put(values, "stable-window", stableWindow);
        put(values, "panic-window", panicWindow);
        put(values, "panic-threshold", panicThreshold);
        put(values, "scale-down-delay", scaleDownDelay);
        put(values, "idle-timeout", idleTimeout);
        put(values, "hold-timeout", holdTimeout);
        put(values, "max-held", maxHeld);
        try {
            return ScalingSettings.defaults().with(values);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    private SimulationOptions options() {
        try {
            return new SimulationOptions(duration("tick", tick), duration("cold-start", coldStart));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + ": '" + text + "' (expected: a duration such as 500ms, 1s, 2m)");
        }
    }

    private static void put(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    private static Trace read(Path file) {
        try {
            return Trace.read(file);
        } catch (NoSuchFileException e) {
            throw new CliException("no trace file " + file.toAbsolutePath(), 2);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), 2);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    private String json(ScalingSettings settings, SimulationOptions options, SimulationReport report) {
        var out = new LinkedHashMap<String, Object>();
        out.put("trace", trace.toString());
        out.put("tick", Durations.format(options.tick()));
        out.put("coldStart", Durations.format(options.coldStart()));
        out.put("settings", settings.toMap());
        out.put("report", report);
        out.put("savings", Math.round(report.savings() * 10_000) / 10_000.0);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps, strings and numbers always serialize
        }
    }

    /** The report as an aligned table, the way a person reads it. */
    static final class SimulationTable {

        private SimulationTable() {}

        static String render(
                Path trace, ScalingSettings settings, SimulationOptions options, SimulationReport r, long tookMs) {
            var rows = new LinkedHashMap<String, String>();
            rows.put("requests", count(r.requests()));
            rows.put("served", count(r.served()) + "  (" + count(r.delayed()) + " waited for an instance)");
            rows.put("failed (held > hold-timeout)", count(r.failed()));
            rows.put("rejected (max-held reached)", count(r.rejected()));
            rows.put("queueing delay p50", seconds(r.queueingP50()));
            rows.put("queueing delay p99", seconds(r.queueingP99()));
            rows.put("queueing delay max", seconds(r.queueingMax()));
            rows.put("peak held calls", count(r.peakHeld()));
            rows.put("instance-seconds", decimal(r.instanceSeconds()));
            rows.put(
                    "  always " + settings.maxInstances() + " instances",
                    decimal(r.baselineInstanceSeconds()) + "  (autoscaling saves "
                            + String.format(Locale.ROOT, "%.1f%%", r.savings() * 100) + ")");
            rows.put("cold starts", count(r.coldStarts()));
            rows.put("peak instances", count(r.peakInstances()));
            rows.put("scaling decisions", count(r.scalingChanges()) + "  (that changed desired)");
            rows.put("panics", count(r.panics()));
            rows.put("scaled to zero", count(r.scaledToZero()) + "  (" + decimal(r.secondsAtZero()) + " s at zero)");

            var virtual = Durations.elapsed(Duration.ofMillis(Math.round(r.simulatedSeconds() * 1000)));
            var out = new StringBuilder();
            out.append("Replayed ")
                    .append(trace)
                    .append(": ")
                    .append(virtual)
                    .append(" of virtual time in ")
                    .append(tookMs)
                    .append(" ms (tick ")
                    .append(Durations.format(options.tick()))
                    .append(", cold start ")
                    .append(Durations.format(options.coldStart()))
                    .append(")\n");
            out.append("settings: ").append(settings).append("\n\n");
            var line =
                    "%-" + rows.keySet().stream().mapToInt(String::length).max().orElse(1) + "s  %s%n";
            rows.forEach((label, value) -> out.append(String.format(Locale.ROOT, line, label, value)));
            return out.toString();
        }

        private static String count(long n) {
            return String.format(Locale.ROOT, "%,d", n);
        }

        private static String decimal(double value) {
            return String.format(Locale.ROOT, "%,.1f", value);
        }

        private static String seconds(double s) {
            return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.3f s", s);
        }
    }
}
