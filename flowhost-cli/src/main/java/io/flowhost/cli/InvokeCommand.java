package io.flowhost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost invoke <service>/<endpoint> -d '<json>'}: calls an endpoint through the gateway. */
@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        description = {
            "Call an endpoint through the gateway and print its JSON answer.",
            "With -d the call is a POST with that body; without it, a GET (for endpoints that take no body).",
            "Example:  flowhost invoke iris/predict -d '{\"sepal_length\": 5.1, \"sepal_width\": 3.5, "
                    + "\"petal_length\": 1.4, \"petal_width\": 0.2}'"
        })
final class InvokeCommand implements Runnable {

    @Parameters(paramLabel = "SERVICE/ENDPOINT", description = "What to call, e.g. iris/predict.")
    String target;

    @Option(
            names = {"-d", "--data"},
            paramLabel = "JSON",
            description = "The request body: JSON text, @file to read it from a file, or - for standard input.")
    String data;

    @Option(
            names = "--async",
            description = "Queue the call (Prefer: respond-async) and print its request id and "
                    + "location; fetch the answer later with 'flowhost requests get <id> --wait 30s'.")
    boolean async;

    @Option(
            names = "--idempotency-key",
            paramLabel = "KEY",
            description = "With --async: the same key gives the same request.")
    String idempotencyKey;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        int slash = target.indexOf('/');
        if (slash < 1 || slash == target.length() - 1 || target.indexOf('/', slash + 1) >= 0) {
            throw new CliException("'" + target + "': expected SERVICE/ENDPOINT, e.g. iris/predict", 2);
        }
        var api = client.client();
        var request = api.request("/v1/services/" + target);
        if (data != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        } else {
            request.GET();
        }
        if (async) {
            request.header("Prefer", "respond-async");
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
        }
        var response = api.send(request);
        if (response.statusCode() >= 300) {
            throw new CliException(ApiClient.describeProblem(response));
        }
        if (async) {
            var queued = pretty(response.body());
            System.out.println(queued);
            System.err.println("Queued. Fetch the answer with: flowhost requests get "
                    + response.headers().firstValue("Location").orElse("").replace("/v1/requests/", "")
                    + " --wait 30s");
            return;
        }
        if (response.body().length > 0) {
            System.out.println(pretty(response.body()));
        }
    }

    private byte[] body() {
        try {
            if (data.equals("-")) {
                return System.in.readAllBytes();
            }
            if (data.startsWith("@")) {
                return Files.readAllBytes(Path.of(data.substring(1)));
            }
            return data.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read the body from " + data + ": " + e.getMessage(), 2);
        }
    }

    private static String pretty(byte[] json) {
        try {
            return new ObjectMapper().readTree(json).toPrettyString();
        } catch (IOException e) {
            return new String(json, StandardCharsets.UTF_8);
        }
    }
}
