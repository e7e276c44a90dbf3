package io.flowhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost rollout status|start|pause|promote|rollback SERVICE}: a canary or shadow on its way in. */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = {
            "Follow and steer a new version rolling out beside the current one (deploy it with"
                    + " 'flowhost deploy app.jar --canary 10' or '--shadow 20').",
            "  status    both versions side by side: their Metaflow runs, calls, errors, p50/p99, agreement",
            "  start     step the canary by itself: --steps 10,50,100 --bake 5m",
            "  pause     hold it at its share (its guardrails still roll it back)",
            "  promote   make it the primary now",
            "  rollback  take it out; the current version answers every call"
        })
final class RolloutCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "ACTION", description = "status, start, pause, promote or rollback.")
    String action;

    @Parameters(index = "1", paramLabel = "SERVICE", description = "The service, e.g. iris.")
    String service;

    @Option(names = "--steps", paramLabel = "LIST", description = "start: the shares to step through, e.g. 10,50,100.")
    String steps;

    @Option(names = "--bake", paramLabel = "DURATION", description = "start: how long each step runs healthy (5m).")
    String bake;

    @Option(
            names = "--max-error-rate-increase",
            paramLabel = "SHARE",
            description = "start: roll back when the canary's error rate is this much above the primary's (0.01).")
    String maxErrorRateIncrease;

    @Option(
            names = "--max-p99-ratio",
            paramLabel = "RATIO",
            description = "start: roll back when the canary's p99 is this many times the primary's (1.5).")
    String maxP99Ratio;

    @Option(
            names = "--min-calls",
            paramLabel = "N",
            description = "start: judge the canary once it answered this many calls in the last 20 s (50).")
    String minCalls;

    @Option(names = "--json", description = "Print the server's JSON instead.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var path = "/v1/rollouts/" + service;
        JsonNode body = switch (action) {
            case "status" -> api.json(api.request(path).GET());
            case "start" -> {
                if (steps == null) {
                    throw new CliException("rollout start needs --steps, e.g. --steps 10,50,100 --bake 5m", 2);
                }
                var query = new ArrayList<String>();
                add(query, "steps", steps);
                add(query, "bake", bake);
                add(query, "max-error-rate-increase", maxErrorRateIncrease);
                add(query, "max-p99-ratio", maxP99Ratio);
                add(query, "min-calls", minCalls);
                yield post(api, path + "/start?" + String.join("&", query));
            }
            case "pause", "promote", "rollback" -> post(api, path + "/" + action);
            default ->
                throw new CliException(
                        "unknown rollout action '" + action + "': use status, start, pause, promote or rollback", 2);
        };
        if (json) {
            System.out.println(body.toPrettyString());
            return;
        }
        print(body);
    }

    private static JsonNode post(ApiClient api, String path) {
        return api.json(api.request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static void add(ArrayList<String> query, String key, String value) {
        if (value != null) {
            query.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** Where the rollout stands, both versions side by side, and its history. */
    static void print(JsonNode s) {
        var candidate = s.path("candidate");
        if (candidate.isNull() || candidate.isMissingNode()) {
            System.out.println(s.path("service").asText() + ": no rollout (deploy a new version with --canary N or"
                    + " --shadow N to start one)");
        } else {
            var plan = s.path("steps").isArray()
                    ? ", steps " + s.path("steps").toString().replaceAll("[\\[\\]]", "") + " % baking "
                            + s.path("bake").asText() + " each (at step "
                            + (s.path("step").asInt() + 1) + ")"
                    : "";
            System.out.println(s.path("service").asText() + ": "
                    + s.path("variant").asText() + " "
                    + candidate.asText() + " " + s.path("state").asText().replace('_', ' ') + " at "
                    + s.path("share").asInt() + "%" + plan);
        }
        System.out.printf(
                Locale.ROOT,
                "%-14s %-8s %6s %9s %7s %8s %9s %9s %10s  %s%n",
                "VERSION",
                "VARIANT",
                "SHARE",
                "CALLS",
                "ERRORS",
                "ERR %",
                "P50 MS",
                "P99 MS",
                "AGREEMENT",
                "METAFLOW RUNS");
        for (var v : s.path("versions")) {
            var runs = new ArrayList<String>();
            v.path("runs").forEach(run -> runs.add(run.asText()));
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %-8s %5d%% %9d %7d %8s %9s %9s %10s  %s%n",
                    v.path("deployment").asText(),
                    v.path("variant").asText(),
                    v.path("share").asInt(),
                    v.path("calls").asLong(),
                    v.path("errors").asLong(),
                    number(v.path("errorRate"), 100, "%.2f"),
                    number(v.path("p50Ms"), 1, "%.1f"),
                    number(v.path("p99Ms"), 1, "%.1f"),
                    number(v.path("agreement"), 100, "%.1f%%"),
                    runs.isEmpty() ? "-" : String.join(", ", runs));
        }
        System.out.println("(calls over the last " + s.path("window").asText() + ")");
        var history = s.path("history");
        if (!history.isEmpty()) {
            System.out.println("History:");
            for (var h : history) {
                System.out.printf(
                        Locale.ROOT,
                        "  %s  %-8s %3d%%  by %-10s %s%n",
                        h.path("at").asText(),
                        h.path("action").asText(),
                        h.path("percent").asInt(),
                        h.path("by").asText(),
                        h.path("reason").asText());
            }
        }
    }

    private static String number(JsonNode n, double scale, String format) {
        return n.isNumber() ? String.format(Locale.ROOT, format, n.asDouble() * scale) : "-";
    }
}
