package io.flowhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost status [service]}: instances, load and the autoscaler's last word. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show each service's instances (state, calls in flight, age, cold start),",
            "its held calls, and the autoscaler's last decision with its reason."
        })
final class StatusCommand implements Runnable {

    @Parameters(paramLabel = "SERVICE", arity = "0..1", description = "Only this service.")
    String service;

    @Option(names = "--json", description = "Print the server's JSON instead.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var body = api.json(api.request("/v1/status" + (service == null ? "" : "/" + service))
                .GET());
        if (json) {
            System.out.println(body.toPrettyString());
            return;
        }
        var now = Instant.now();
        var leader = body.path("leader");
        if (leader.isObject()) {
            System.out.printf(
                    "Leader: %s (term %d)%n",
                    leader.path("holder").asText(), leader.path("term").asLong());
        }
        for (var s : body.path("services")) {
            var decision = s.path("lastDecision");
            System.out.printf(
                    "%s (%s): %d in flight, %d held%s%n",
                    s.path("service").asText(),
                    s.path("deployment").asText(),
                    s.path("inFlight").asInt(),
                    s.path("held").asInt(),
                    s.path("lastCall").isTextual()
                            ? ", last call " + ago(now, s.path("lastCall").asText()) + " ago"
                            : "");
            if (decision.isObject()) {
                System.out.printf(
                        "  scaling: %d wanted%s — %s (%s ago)%n",
                        decision.path("desired").asInt(),
                        decision.path("panicking").asBoolean() ? " [panic]" : "",
                        decision.path("reason").asText(),
                        ago(now, decision.path("at").asText()));
            }
            var format = "  %-22s %-9s %-9s %-8s %s%n";
            System.out.printf(format, "INSTANCE", "STATE", "IN FLIGHT", "AGE", "COLD START");
            for (var i : s.path("instances")) {
                var breakdown = i.path("coldStartBreakdownMs");
                var cold = !i.path("coldStartMs").isNumber()
                        ? "-"
                        : i.path("coldStartMs").asLong() + " ms" + parts(breakdown);
                System.out.printf(
                        format,
                        i.path("id").asText(),
                        i.path("state").asText(),
                        i.path("inFlight").asInt(),
                        ago(now, i.path("startedAt").asText()),
                        cold);
            }
            if (s.path("instances").isEmpty()) {
                System.out.println("  (no instances: scaled to zero; the next call starts one)");
            }
        }
    }

    /** A cold start's parts, as {@code  (process start 40, JVM to main 120, ...)}, or nothing when not known. */
    private static String parts(JsonNode breakdown) {
        if (!breakdown.isObject()) {
            return "";
        }
        var parts = new StringJoiner(", ", " (", ")");
        breakdown.properties().forEach(e -> {
            if (!e.getKey().equals("total")) {
                parts.add(words(e.getKey()) + " " + e.getValue().asLong());
            }
        });
        return parts.toString();
    }

    /** {@code jvmToMain} as {@code JVM to main}. */
    static String words(String key) {
        var out = new StringBuilder();
        for (var c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append(' ').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().replace("jvm", "JVM");
    }

    private static String ago(Instant now, String instant) {
        var d = Duration.between(Instant.parse(instant), now);
        if (d.toSeconds() < 60) {
            return Math.max(0, d.toSeconds()) + "s";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + "m" + d.toSecondsPart() + "s";
        }
        return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
}
