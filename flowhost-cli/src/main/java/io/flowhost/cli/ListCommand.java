package io.flowhost.cli;

import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowhost list}: the deployments and their instances. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the deployments of a running server, newest first, with their instances and endpoints.")
final class ListCommand implements Runnable {

    @Option(names = "--all", description = "Include retired deployments.")
    boolean all;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var body = api.json(api.request("/v1/deployments").GET());
        if (json) {
            System.out.println(body.toPrettyString());
            return;
        }
        var format = "%-20s %-14s %-8s %-10s %-28s %s%n";
        System.out.printf(format, "DEPLOYMENT", "SERVICE", "STATE", "INSTANCES", "METAFLOW RUN", "ENDPOINTS");
        int shown = 0;
        for (var d : body.path("deployments")) {
            if (!all && !d.path("state").asText().equals("active")) {
                continue;
            }
            int ready = 0;
            for (var i : d.path("instances")) {
                ready += i.path("state").asText().equals("ready") ? 1 : 0;
            }
            var endpoints = new StringBuilder(d.has("model") ? "v2 infer" : "");
            for (var e : d.path("endpoints")) {
                endpoints
                        .append(endpoints.isEmpty() ? "" : ", ")
                        .append(e.path("method").asText())
                        .append(' ')
                        .append(e.path("name").asText());
            }
            var runs = new ArrayList<String>();
            d.path("runs").forEach(r -> runs.add(r.asText()));
            System.out.printf(
                    format,
                    d.path("id").asText(),
                    d.path("service").asText(),
                    d.path("state").asText(),
                    ready + "/" + d.path("instances").size() + " ready",
                    runs.isEmpty() ? "-" : String.join(", ", runs),
                    endpoints);
            shown++;
        }
        if (shown == 0) {
            System.out.println("(nothing deployed: try 'flowhost deploy my-service.jar')");
        }
    }
}
