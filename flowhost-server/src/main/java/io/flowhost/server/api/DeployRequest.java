package io.flowhost.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.control.deploy.RolloutRequest;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.SchemaChanges;
import io.flowhost.domain.service.UnsupportedMediaTypeException;
import io.flowhost.wire.protocol.BadRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code POST /v1/deployments} asks for, read from its query and body: a jar ({@code ?class=}, repeated
 * {@code ?set=key=value}, scaling and retention settings) or, with a JSON body, an ONNX model; either may set
 * {@code ?prediction-sample-rate=}.
 *
 * @param jar the file the service jar was written to, or null for a model
 * @param className the {@code @Service} class, or empty to find the one in the jar
 * @param model for a model: its reference ({@code onnx}) and name; else null
 * @param name the model's name, or null
 * @param settings the service's settings, the prediction sample rate among them
 * @param scaling the scaling and retention settings given, by key
 */
record DeployRequest(
        Path jar,
        String className,
        String model,
        String name,
        Map<String, String> settings,
        Map<String, String> scaling) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OWN_KEYS = List.of("class", "set", "prediction-sample-rate");

    /**
     * Reads a deploy, refusing with the key, value and what is expected at the first mistake: a model's from its JSON
     * {@code body}, a jar's from the file it was written to as it came ({@code upload}; null if it was not).
     */
    static DeployRequest read(Map<String, List<String>> query, String contentType, byte[] body, Path upload)
            throws InvalidSettingsException, JsonProcessingException {
        var settings = new LinkedHashMap<String, String>();
        predictionSampleRate(query, settings);
        // Only these two: a web page can send a body cross-origin without asking first only as text/plain, a form,
        // or with no type at all, so requiring ours means a browser must ask (a CORS preflight) and is refused.
        var type = mediaType(contentType);
        if (type.equals("application/json")) {
            for (var jarOnly : List.of("class", "set")) {
                if (query.containsKey(jarOnly)) {
                    throw new BadRequestException("?" + jarOnly + "= is for a service jar; a model deployment takes"
                            + " {\"onnx\": ..., \"name\": ...} and scaling settings, in the query or as"
                            + " {\"scaling\": {...}}");
                }
            }
            return model(body, settings, scaling(query));
        }
        if (!type.equals("application/java-archive")) {
            throw new UnsupportedMediaTypeException("POST /v1/deployments takes the service jar with Content-Type:"
                    + " application/java-archive, or a model as application/json {\"onnx\": ..., \"name\": ...}; not "
                    + (contentType == null ? "a body without Content-Type" : contentType));
        }
        if (upload == null || size(upload) == 0) {
            throw new BadRequestException("the body is empty: send the service jar, e.g. curl --data-binary"
                    + " @service.jar -H 'Content-Type: application/java-archive' ...");
        }
        for (var pair : query.getOrDefault("set", List.of())) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new BadRequestException("set=" + pair + " (expected: set=key=value)");
            }
            settings.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        var className = query.getOrDefault("class", List.of("")).getFirst();
        return new DeployRequest(upload, className, null, null, settings, scaling(query));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload " + file, e);
        }
    }

    /**
     * {@code {"onnx": "metaflow://IrisFlow/latest/end/model_onnx", "name": "iris-onnx", "scaling": {...}, "batch":
     * "max=64,delay=2ms"}}.
     */
    private static DeployRequest model(byte[] body, Map<String, String> settings, Map<String, String> fromQuery)
            throws JsonProcessingException, InvalidSettingsException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw e; // the table names its line and column
        } catch (IOException e) {
            throw new BadRequestException("the body cannot be read: " + e.getMessage());
        }
        if (request == null
                || !request.path("onnx").isTextual()
                || !request.path("name").isTextual()) {
            throw new BadRequestException("a model deployment needs {\"onnx\": \"<reference>\", \"name\":"
                    + " \"<name>\"}, e.g. {\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\":"
                    + " \"iris-onnx\"}");
        }
        var scaling = new LinkedHashMap<>(fromQuery);
        for (var e : request.path("scaling").properties()) {
            var before = scaling.put(e.getKey(), e.getValue().asText());
            if (before != null && !before.equals(e.getValue().asText())) {
                throw new InvalidSettingsException(e.getKey() + " is given twice, " + before + " in the query and "
                        + e.getValue().asText() + " in the body's \"scaling\": give it once");
            }
        }
        var modelSettings = new LinkedHashMap<>(settings);
        if (request.hasNonNull("batch")) {
            // {"batch": "max=64,delay=2ms"}: the instance stacks concurrent requests (checked at deploy)
            modelSettings.put("batch", request.get("batch").asText());
        }
        return new DeployRequest(
                null, "", request.get("onnx").asText(), request.get("name").asText(), modelSettings, scaling);
    }

    /** A deploy's {@code ?prediction-sample-rate=}, checked, into the deployment's settings. */
    private static void predictionSampleRate(Map<String, List<String>> query, Map<String, String> settings)
            throws InvalidSettingsException {
        for (var rate : query.getOrDefault("prediction-sample-rate", List.of())) {
            double value;
            try {
                value = Double.parseDouble(rate);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0 && value <= 1)) {
                throw new InvalidSettingsException("prediction-sample-rate: " + rate
                        + " (expected: 0..1, the share of calls whose predictions are logged)");
            }
            settings.put(Deployment.PREDICTION_SAMPLE_RATE, Double.toString(value));
        }
    }

    /** The scaling and retention keys of the query ({@code ?min-instances=1&idle-timeout=10m}); any other is a mistake. */
    private static Map<String, String> scaling(Map<String, List<String>> query) throws InvalidSettingsException {
        var out = new LinkedHashMap<String, String>();
        for (var entry : query.entrySet()) {
            var key = entry.getKey();
            if (OWN_KEYS.contains(key)) {
                continue;
            }
            if (!ScalingSettings.KEYS.contains(key)
                    && !Retention.KEYS.contains(key)
                    && !Resources.KEYS.contains(key)
                    && !Access.KEYS.contains(key)
                    && !RolloutRequest.KEYS.contains(key)
                    && !key.equals(SchemaChanges.ALLOW)) {
                throw new InvalidSettingsException("unknown deploy parameter '" + key + "'; expected class,"
                        + " set=key=value, a scaling setting " + ScalingSettings.KEYS + ", an async retention"
                        + " setting " + Retention.KEYS + ", a pod resource " + Resources.KEYS + ", a caller"
                        + " setting " + Access.KEYS + ", a rollout setting " + RolloutRequest.KEYS + " or "
                        + SchemaChanges.ALLOW + "=true");
            }
            out.put(key, entry.getValue().getLast());
        }
        return out;
    }

    /** The media type without its parameters, lowercase; empty when there is none. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    boolean isModel() {
        return model != null;
    }
}
