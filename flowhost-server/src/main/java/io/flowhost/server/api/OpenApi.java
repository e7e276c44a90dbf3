package io.flowhost.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.StreamFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * OpenAPI 3.1 documents of what the gateway serves, built from the deployments' descriptors: each endpoint with its
 * body's and answer's JSON Schema (taken from its records when the service was described) and its example, the
 * problem+json answers a call can get, async calls ({@code Prefer: respond-async}, 202 and {@code /v1/requests}),
 * streamed answers, an ONNX model's Open Inference Protocol routes (its tensors as its metadata, asked of a running
 * instance, says), and, for the whole server, the management API. Pure but for that metadata: the same deployments
 * and metadata give the same document.
 */
final class OpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    /** Every status a call to an instance can be answered with besides its own, and why. */
    private static final Map<String, String> CALL_PROBLEMS = Map.ofEntries(
            Map.entry("400", "The body is not JSON, or not of the endpoint's type, or the mode is not allowed"),
            Map.entry("401", "The deployment asks for a call token and none (or a wrong one) was sent"),
            Map.entry("403", "The call token does not allow this service"),
            Map.entry("404", "No such service or endpoint"),
            Map.entry("405", "The endpoint is called with another method (see Allow)"),
            Map.entry("413", "The body is larger than the gateway takes"),
            Map.entry("415", "The body is not application/json"),
            Map.entry("422", "The endpoint refused the call (CallRejectedException)"),
            Map.entry("429", "Past the caller's quota (see Retry-After and RateLimit)"),
            Map.entry("500", "The endpoint failed; the answer holds an error id, the instance log the stack trace"),
            Map.entry("502", "The instance went away while answering"),
            Map.entry("503", "No instance could take the call in time (see Retry-After)"),
            Map.entry("504", "The instance did not answer within the request timeout"));

    private OpenApi() {}

    /** The document of one service, as its primary deployment serves it. */
    static ObjectNode ofService(Deployment deployment, Function<Deployment, JsonNode> modelMetadata) {
        var doc = document(
                deployment.service(),
                deployment.id(),
                "The endpoints of " + deployment.service() + " (" + deployment.id()
                        + "), through the flowhost gateway.");
        add(doc, deployment, modelMetadata);
        if (!deployment.servesOnnx()) {
            requests((ObjectNode) doc.get("paths"));
        }
        return doc;
    }

    /** The document of the whole server: every service's endpoints, async requests and the management API. */
    static ObjectNode ofServer(
            List<Deployment> deployments, String version, Function<Deployment, JsonNode> modelMetadata) {
        var doc = document("flowhost", version, "Every service this gateway serves, and its management API.");
        for (var deployment : deployments) {
            add(doc, deployment, modelMetadata);
        }
        requests((ObjectNode) doc.get("paths"));
        OpenApiManagement.add((ObjectNode) doc.get("paths"));
        return doc;
    }

    private static ObjectNode document(String title, String version, String description) {
        var doc = JSON.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", title).put("version", version).put("description", description);
        doc.putArray("servers").addObject().put("url", "/");
        doc.putObject("paths");
        var components = doc.putObject("components");
        var schemas = components.putObject("schemas");
        schemas.set("Problem", problemSchema());
        schemas.set("AsyncRequest", asyncRequestSchema());
        var responses = components.putObject("responses");
        CALL_PROBLEMS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> responses.set("Problem" + e.getKey(), problemResponse(e.getValue())));
        return doc;
    }

    private static void add(ObjectNode doc, Deployment deployment, Function<Deployment, JsonNode> modelMetadata) {
        var paths = (ObjectNode) doc.get("paths");
        if (deployment.servesOnnx()) {
            OpenApiModels.add(paths, deployment.service(), modelMetadata.apply(deployment));
            return;
        }
        for (var endpoint : deployment.descriptor().endpoints()) {
            var path = paths.putObject("/v1/services/" + deployment.service() + "/" + endpoint.name());
            path.set(endpoint.method().toLowerCase(), operation(deployment, endpoint));
        }
    }

    private static ObjectNode operation(Deployment deployment, EndpointDescriptor endpoint) {
        var op = JSON.createObjectNode();
        op.put("operationId", deployment.service() + "." + endpoint.name());
        op.put("summary", endpoint.name() + (endpoint.streams() ? " (streamed)" : ""));
        op.putArray("tags").add(deployment.service());
        var parameters = op.putArray("parameters");
        header(parameters, "X-Request-Id", "The call's id, kept in logs and traces (one is made when none is sent)");
        header(parameters, "traceparent", "W3C trace context: the call joins the caller's trace");
        if (endpoint.allows("async")) {
            header(parameters, "Prefer", "respond-async: queue the call and answer 202 at once");
            parameters
                    .addObject()
                    .put("name", "async")
                    .put("in", "query")
                    .put("description", "true: queue the call, as Prefer: respond-async does")
                    .putObject("schema")
                    .put("type", "boolean");
            header(parameters, "Idempotency-Key", "A queued call sent again with the same key is queued once");
        }
        if (endpoint.method().equals("POST")) {
            var body = op.putObject("requestBody").put("required", true);
            var json = body.putObject("content").putObject("application/json");
            json.set("schema", schema(endpoint.inputSchema()));
            var example = example(endpoint.example());
            if (example != null) {
                json.set("example", example);
            }
        }
        var responses = op.putObject("responses");
        if (endpoint.allows("sync")) {
            answer(responses, endpoint);
        }
        if (endpoint.allows("async")) {
            var accepted =
                    responses.putObject("202").put("description", "Queued: poll the Location for its state and result");
            accepted.putObject("headers")
                    .putObject("Location")
                    .put("description", "/v1/requests/{id}")
                    .putObject("schema")
                    .put("type", "string");
            accepted.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/AsyncRequest");
        }
        CALL_PROBLEMS.keySet().stream()
                .sorted()
                .forEach(status -> responses.putObject(status).put("$ref", "#/components/responses/Problem" + status));
        return op;
    }

    /** The answer of a call answered now: its JSON, a stream of items, or nothing. */
    private static void answer(ObjectNode responses, EndpointDescriptor endpoint) {
        if (endpoint.outputSchema() == null
                && !endpoint.streams()
                && endpoint.output().equals("void")) {
            responses.putObject("204").put("description", "Done; nothing to answer");
            return;
        }
        var ok = responses.putObject("200");
        var content = ok.putObject("content");
        if (endpoint.streams()) {
            ok.put(
                    "description",
                    "Items as they are made: JSON Lines (one item a line; the default) or Server-Sent Events (one data:"
                            + " event an item, for Accept: text/event-stream). A failure after the first item ends the"
                            + " stream with {\"error\": problem} (event: error).");
            content.putObject(StreamFormat.JSON_LINES.mediaType()).set("schema", schema(endpoint.outputSchema()));
            content.putObject(StreamFormat.EVENTS.mediaType())
                    .putObject("schema")
                    .put("type", "string");
        } else {
            ok.put("description", "The endpoint's answer");
            content.putObject("application/json").set("schema", schema(endpoint.outputSchema()));
        }
    }

    /** {@code /v1/requests/{id}} and its result: where a queued call's caller looks. */
    private static void requests(ObjectNode paths) {
        if (paths.has("/v1/requests/{id}")) {
            return;
        }
        var request = paths.putObject("/v1/requests/{id}");
        request.putArray("parameters")
                .addObject()
                .put("name", "id")
                .put("in", "path")
                .put("required", true)
                .putObject("schema")
                .put("type", "string");
        var get = request.putObject("get").put("operationId", "requests.get").put("summary", "A queued call's state");
        get.putArray("tags").add("async");
        get.putArray("parameters")
                .addObject()
                .put("name", "wait")
                .put("in", "query")
                .put("description", "Wait up to this long (e.g. 30s) for the request to finish")
                .putObject("schema")
                .put("type", "string");
        var got = get.putObject("responses");
        got.putObject("200")
                .put("description", "Its state, and its result once done")
                .putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("$ref", "#/components/schemas/AsyncRequest");
        got.putObject("404").put("$ref", "#/components/responses/Problem404");
        var cancel = request.putObject("delete")
                .put("operationId", "requests.cancel")
                .put("summary", "Cancels a queued call");
        cancel.putArray("tags").add("async");
        var cancelled = cancel.putObject("responses");
        cancelled
                .putObject("200")
                .put("description", "Cancelled")
                .putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("$ref", "#/components/schemas/AsyncRequest");
        cancelled.putObject("404").put("$ref", "#/components/responses/Problem404");
        var result = paths.putObject("/v1/requests/{id}/result");
        result.set("parameters", request.get("parameters").deepCopy());
        var fetch = result.putObject("get")
                .put("operationId", "requests.result")
                .put("summary", "A finished call's answer, as the endpoint sent it");
        fetch.putArray("tags").add("async");
        var fetched = fetch.putObject("responses");
        fetched.putObject("200").put("description", "The endpoint's answer, with its status and content type");
        fetched.putObject("404").put("$ref", "#/components/responses/Problem404");
    }

    private static void header(ArrayNode parameters, String name, String description) {
        parameters
                .addObject()
                .put("name", name)
                .put("in", "header")
                .put("description", description)
                .putObject("schema")
                .put("type", "string");
    }

    /** A described schema, or any JSON for an endpoint described before schemas were kept. */
    private static JsonNode schema(Map<String, Object> schema) {
        return schema == null ? JSON.createObjectNode() : JSON.valueToTree(schema);
    }

    private static JsonNode example(String example) {
        if (example == null || example.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(example);
        } catch (JsonProcessingException e) {
            return null; // checked when the service was described; an old one is left out rather than wrong
        }
    }

    private static ObjectNode problemResponse(String description) {
        var response = JSON.createObjectNode().put("description", description);
        response.putObject("content")
                .putObject(Problem.MEDIA_TYPE)
                .putObject("schema")
                .put("$ref", PROBLEM_REF);
        return response;
    }

    private static ObjectNode problemSchema() {
        var schema = JSON.createObjectNode()
                .put("type", "object")
                .put("description", "RFC 9457 problem details; type is urn:flowhost:problem:{name}");
        var properties = schema.putObject("properties");
        properties.putObject("type").put("type", "string");
        properties.putObject("title").put("type", "string");
        properties.putObject("status").put("type", "integer");
        properties.putObject("detail").put("type", "string");
        properties.putObject("requestId").put("type", "string");
        properties.putObject("errorId").put("type", "string").put("description", "For a 500: where the log has it");
        schema.putArray("required").add("type").add("title").add("status");
        return schema;
    }

    private static ObjectNode asyncRequestSchema() {
        var schema = JSON.createObjectNode().put("type", "object");
        var properties = schema.putObject("properties");
        properties.putObject("id").put("type", "string");
        properties
                .putObject("state")
                .put("type", "string")
                .set(
                        "enum",
                        JSON.valueToTree(List.of("queued", "running", "succeeded", "failed", "cancelled", "expired")));
        properties.putObject("service").put("type", "string");
        properties.putObject("endpoint").put("type", "string");
        properties.putObject("attempts").put("type", "integer");
        properties
                .putObject("result")
                .put("type", "object")
                .put("description", "Once done: status, contentType and body (a stream's items as an array)");
        schema.putArray("required").add("id").add("state");
        return schema;
    }
}
