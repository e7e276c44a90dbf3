package io.flowhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost deploy <jar>}: uploads a service jar and waits until it serves. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Deploy a service jar to a running server and wait until it serves.",
            "Returns once the first instance is ready and the service answers at /v1/services/{service}/{endpoint};",
            "a new version of a service replaces the old one only then."
        })
final class DeployCommand implements Runnable {

    @Parameters(
            paramLabel = "JAR",
            arity = "0..1",
            description = "The service jar (with one @Service class, or name it with --class).")
    Path jar;

    @Option(
            names = "--onnx",
            paramLabel = "REFERENCE",
            description = "Instead of a jar: serve this ONNX model with no code, over the Open Inference Protocol "
                    + "(KServe v2), e.g. metaflow://IrisFlow/latest/end/model_onnx or file:/models/iris.onnx.")
    String onnx;

    @Option(names = "--name", paramLabel = "NAME", description = "With --onnx: the name the model is served under.")
    String name;

    @Option(names = "--class", paramLabel = "NAME", description = "The @Service class, when the jar has several.")
    String className;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A setting handed to the service's ServiceContext (repeatable).")
    List<String> settings = List.of();

    @Option(
            names = "--batch",
            paramLabel = "SPEC",
            description = "With --onnx: stack concurrent requests along dimension 0 and run them as one, e.g."
                    + " max=64,delay=2ms (a service batches with @Endpoint(batch = @Batch(...)) instead).")
    String batch;

    @Option(
            names = "--prediction-sample-rate",
            paramLabel = "RATE",
            description =
                    "Log this share of calls (0 to 1) as predictions: JSON Lines under the server's "
                            + "<data-dir>/predictions/<deployment>/, and any PredictionLogger on the class path (default: none).")
    String predictionSampleRate;

    @Option(
            names = "--allow-breaking",
            description = "Deploy even when the new version would break callers of the running one (an endpoint"
                    + " gone, a request field gone, retyped or newly required, an answer field dropped or retyped);"
                    + " without it such a deploy is refused with the changes listed.")
    boolean allowBreaking;

    @Mixin
    ScalingOptions scaling;

    @Mixin
    ResourceOptions resources;

    @Mixin
    AccessOptions access;

    @Mixin
    RolloutOptions rollout;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        if (onnx != null) {
            deployModel();
            return;
        }
        if (jar == null) {
            throw new CliException("give a JAR to deploy, or --onnx <reference> --name <name> for a model", 2);
        }
        if (batch != null) {
            throw new CliException(
                    "--batch is for --onnx models; a service batches an endpoint in its code:"
                            + " @Endpoint(value = \"predict\", batch = @Batch(maxSize = 64, maxDelay = \"5ms\"))",
                    2);
        }
        var body = body(jar);
        var query = new ArrayList<String>();
        if (className != null) {
            query.add("class=" + encode(className));
        }
        for (var setting : settings) {
            if (setting.indexOf('=') < 1) {
                throw new CliException("--set " + setting + ": expected KEY=VALUE", 2);
            }
            query.add("set=" + encode(setting));
        }
        scaling.values().forEach((key, value) -> query.add(key + "=" + encode(value)));
        resources.values().forEach((key, value) -> query.add(key + "=" + encode(value)));
        access.values().forEach((key, value) -> query.add(key + "=" + encode(value)));
        rollout.values().forEach((key, value) -> query.add(key + "=" + encode(value)));
        if (predictionSampleRate != null) {
            query.add("prediction-sample-rate=" + encode(predictionSampleRate));
        }
        if (allowBreaking) {
            query.add("allow-breaking=true");
        }
        var api = client.client();
        var path = "/v1/deployments" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        System.out.println("Deploying " + jar.getFileName() + " (" + Conversions.bytes(size(jar)) + ") to " + api.base()
                + "; it answers once the first instance is ready ...");
        var deployment = api.json(api.request(path)
                .header("Content-Type", "application/java-archive")
                .POST(body));
        print(deployment, api.base().toString());
    }

    private void deployModel() {
        if (jar != null || name == null) {
            throw new CliException("--onnx serves a model without a jar: give --name and no JAR", 2);
        }
        var api = client.client();
        var body = new ObjectMapper().createObjectNode().put("onnx", onnx).put("name", name);
        if (batch != null) {
            body.put("batch", batch);
        }
        var scalingNode = body.putObject("scaling");
        scaling.values().forEach(scalingNode::put);
        resources.values().forEach(scalingNode::put);
        access.values().forEach(scalingNode::put);
        rollout.values().forEach(scalingNode::put);
        System.out.println("Deploying " + onnx + " as " + name + " to " + api.base() + " ...");
        var path = "/v1/deployments"
                + (predictionSampleRate == null ? "" : "?prediction-sample-rate=" + encode(predictionSampleRate));
        var deployment = api.json(api.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        var cold = deployment.path("instances").path(0).path("coldStartMs");
        System.out.println("Deployed " + deployment.path("id").asText() + " ("
                + deployment.path("model").asText() + ")"
                + (cold.isMissingNode() ? "" : ", ready in " + cold.asLong() + " ms"));
        printVariant(deployment);
        System.out.println("  GET   " + api.base() + "/v2/models/" + name);
        System.out.println("  POST  " + api.base() + "/v2/models/" + name + "/infer");
    }

    /** For a canary or shadow: its share, and where to follow it. */
    private static void printVariant(JsonNode deployment) {
        var variant = deployment.path("variant").asText("primary");
        if (variant.equals("primary")) {
            return;
        }
        var service = deployment.path("service").asText();
        System.out.println("  as a " + variant + " beside the current version: "
                + deployment.path("share").asInt() + "% of calls"
                + (variant.equals("shadow") ? " copied to it (callers get the current version's answers)" : ""));
        System.out.println("  follow it with 'flowhost rollout status " + service + "'; 'flowhost rollout promote "
                + service + "' makes it the primary, 'flowhost rollout rollback " + service + "' takes it out");
    }

    static void print(JsonNode deployment, String base) {
        var cold = deployment.path("instances").path(0).path("coldStartMs");
        System.out.println("Deployed " + deployment.path("id").asText() + " ("
                + deployment.path("className").asText() + ")"
                + (cold.isMissingNode() ? "" : ", ready in " + cold.asLong() + " ms"));
        printVariant(deployment);
        deployment
                .path("runs")
                .fields()
                .forEachRemaining(run -> System.out.println(
                        "  serving Metaflow run " + run.getValue().asText()));
        var access = deployment.path("access");
        if (access.path("require-token").asBoolean()) {
            System.out.println("  calls need a token with scope invoke:"
                    + deployment.path("service").asText() + " ('flowhost tokens create --scope invoke:"
                    + deployment.path("service").asText() + "')");
        }
        if (access.has("rate")) {
            System.out.println("  quota " + access.path("rate").asText() + " burst "
                    + access.path("burst").asText() + " per gateway");
        }
        for (var endpoint : deployment.path("endpoints")) {
            System.out.println(
                    "  " + String.format("%-5s", endpoint.path("method").asText()) + base
                            + endpoint.path("path").asText());
        }
    }

    /** The jar, once it is known to be a file this process can read (it is sent from there, not held in memory). */
    static Path readable(Path jar) {
        if (!Files.exists(jar)) {
            throw new CliException("no file " + jar.toAbsolutePath() + ": build your service jar first", 2);
        }
        if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
            throw new CliException("cannot read " + jar + ": not a file this user may read", 2);
        }
        return jar;
    }

    private static long size(Path jar) {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            throw new CliException("cannot read " + jar + ": " + e.getMessage(), 2);
        }
    }

    private static HttpRequest.BodyPublisher body(Path jar) {
        try {
            return HttpRequest.BodyPublishers.ofFile(readable(jar));
        } catch (FileNotFoundException e) {
            throw new CliException("cannot read " + jar + ": " + e.getMessage(), 2);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
