package io.flowhost.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowhost audit [--since 24h]}: who deployed, undeployed, made and revoked tokens, and who was refused. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Print the audit trail: every deploy, undeploy, token made or revoked, and every request refused for its"
                    + " token (401, 403), with who (the token's name), from where, and what came of it; oldest first.",
            "Every gateway on the same state records into one trail, kept 90 days; each also writes its own"
                    + " <data-dir>/logs/audit.log. Needs an admin token."
        })
final class AuditCommand implements Runnable {

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            defaultValue = "24h",
            description =
                    "How far back: 1h, 7d, or an instant such as 2026-12-05T10:00:00Z (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "At most this many events, the newest (default: ${DEFAULT-VALUE}, at most 10000).")
    int limit;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var body = api.json(
                api.request("/v1/audit?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&limit=" + limit)
                        .GET());
        if (json) {
            System.out.println(body.toPrettyString());
            return;
        }
        var events = body.path("events");
        if (events.isEmpty()) {
            System.out.println("(nothing recorded since " + body.path("since").asText() + ")");
            return;
        }
        var format = "%-24s %-12s %-15s %-16s %-24s %-8s %s%n";
        System.out.printf(format, "TIME", "WHO", "FROM", "ACTION", "TARGET", "RESULT", "DETAIL");
        for (var e : events) {
            System.out.printf(
                    format,
                    e.path("time").asText(),
                    e.path("actor").asText("-"),
                    e.path("source").asText("-"),
                    e.path("action").asText(),
                    e.path("target").asText("-"),
                    e.path("result").asText() + " " + e.path("status").asInt(),
                    e.path("detail").asText(""));
        }
    }
}
