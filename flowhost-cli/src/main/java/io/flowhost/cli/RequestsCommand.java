package io.flowhost.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flowhost requests get|list|cancel}: the async requests. */
@Command(
        name = "requests",
        mixinStandardHelpOptions = true,
        description =
                "Look at and cancel async requests (calls made with 'flowhost invoke --async' or Prefer: respond-async).",
        subcommands = {RequestsCommand.Get.class, RequestsCommand.ListRequests.class, RequestsCommand.Cancel.class})
final class RequestsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code flowhost requests get <id> [--wait 30s]}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Show a request's state, attempts and, once done, its result.")
    static final class Get implements Runnable {

        @Parameters(paramLabel = "ID", description = "The request id (from the 202 answer).")
        String id;

        @Option(
                names = "--wait",
                paramLabel = "DURATION",
                description = "Wait up to this long (at most 60s) for it to finish, e.g. 30s.")
        String wait;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var path = "/v1/requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                    + (wait == null ? "" : "?wait=" + URLEncoder.encode(wait, StandardCharsets.UTF_8));
            System.out.println(api.json(api.request(path).GET()).toPrettyString());
        }
    }

    /** {@code flowhost requests list <service> [--state queued,running]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a service's requests, newest first.")
    static final class ListRequests implements Runnable {

        @Parameters(paramLabel = "SERVICE", description = "The service.")
        String service;

        @Option(
                names = "--state",
                paramLabel = "STATES",
                description =
                        "Only these states, comma-separated: queued, running, succeeded, failed, cancelled, expired.")
        String state;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many (default 50, at most 1000).")
        int limit = 50;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var path = "/v1/requests?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "&limit=" + limit
                    + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
            var body = api.json(api.request(path).GET());
            var format = "%-24s %-10s %-14s %-8s %s%n";
            System.out.printf(format, "REQUEST", "STATE", "ENDPOINT", "ATTEMPTS", "ACCEPTED");
            for (var r : body.path("requests")) {
                System.out.printf(
                        format,
                        r.path("id").asText(),
                        r.path("state").asText(),
                        r.path("endpoint").asText(),
                        r.path("attempts").asInt() + "/" + r.path("maxAttempts").asInt(),
                        r.path("acceptedAt").asText());
            }
            if (body.path("requests").isEmpty()) {
                System.out.println("(no requests" + (state == null ? "" : " in state " + state) + ")");
            }
        }
    }

    /** {@code flowhost requests cancel <id>}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a request that is still queued.")
    static final class Cancel implements Runnable {

        @Parameters(paramLabel = "ID", description = "The request id.")
        String id;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var request = api.json(api.request("/v1/requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                    .DELETE());
            System.out.println("Cancelled " + request.path("id").asText());
        }
    }
}
