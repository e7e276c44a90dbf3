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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ScalingOptions scaling;

    @Option(names = "--json", description = "Print the settings and the report as JSON.")
    boolean json;

    @Override
    public void run() {
        var settings = scaling.settings();
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

    private static Trace read(Path file) {
        try {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return Trace.read(file.getFileName().toString(), reader);
            }
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
