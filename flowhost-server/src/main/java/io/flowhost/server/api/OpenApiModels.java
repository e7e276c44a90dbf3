package io.flowhost.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An ONNX model's routes under the Open Inference Protocol (KServe's v2), for the OpenAPI documents: its metadata,
 * its readiness and its inference, with the protocol's tensor request and answer. The model's own tensors (names,
 * datatypes, shapes) are what its metadata route answers.
 */
final class OpenApiModels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiModels() {}

    static void add(ObjectNode paths, String model) {
        var prefix = "/v2/models/" + model;
        var metadata = paths.putObject(prefix).putObject("get");
        metadata.put("operationId", model + ".metadata")
                .put("summary", "The model's inputs and outputs: names, datatypes, shapes");
        metadata.putArray("tags").add(model);
        var described = metadata.putObject("responses");
        described
                .putObject("200")
                .put("description", "The model's metadata")
                .putObject("content")
                .putObject("application/json")
                .set("schema", metadataSchema());
        described.putObject("503").put("$ref", "#/components/responses/Problem503");

        var ready = paths.putObject(prefix + "/ready").putObject("get");
        ready.put("operationId", model + ".ready").put("summary", "Whether an instance of the model is ready");
        ready.putArray("tags").add(model);
        ready.putObject("responses").putObject("200").put("description", "Ready");

        var infer = paths.putObject(prefix + "/infer").putObject("post");
        infer.put("operationId", model + ".infer").put("summary", "Runs the model on the tensors sent");
        infer.putArray("tags").add(model);
        infer.putObject("requestBody")
                .put("required", true)
                .putObject("content")
                .putObject("application/json")
                .set("schema", inferSchema("inputs"));
        var inferred = infer.putObject("responses");
        inferred.putObject("200")
                .put("description", "The outputs asked for (all by default)")
                .putObject("content")
                .putObject("application/json")
                .set("schema", inferSchema("outputs"));
        for (var status : new String[] {"400", "404", "413", "415", "429", "500", "502", "503", "504"}) {
            inferred.putObject(status).put("$ref", "#/components/responses/Problem" + status);
        }
    }

    private static ObjectNode tensorSchema() {
        var tensor = JSON.createObjectNode().put("type", "object");
        var properties = tensor.putObject("properties");
        properties.putObject("name").put("type", "string");
        properties.putObject("shape").put("type", "array").putObject("items").put("type", "integer");
        properties.putObject("datatype").put("type", "string").put("description", "FP32, INT64, BOOL, BYTES, ...");
        properties.putObject("data").put("type", "array").put("description", "The values, flat, in row-major order");
        tensor.putArray("required").add("name").add("shape").add("datatype");
        return tensor;
    }

    private static ObjectNode inferSchema(String tensors) {
        var schema = JSON.createObjectNode().put("type", "object");
        var properties = schema.putObject("properties");
        properties.putObject("id").put("type", "string");
        properties.putObject(tensors).put("type", "array").set("items", tensorSchema());
        if (tensors.equals("inputs")) {
            properties
                    .putObject("outputs")
                    .put("type", "array")
                    .putObject("items")
                    .put("type", "object")
                    .putObject("properties")
                    .putObject("name")
                    .put("type", "string");
        } else {
            properties.putObject("model_name").put("type", "string");
        }
        schema.putArray("required").add(tensors);
        return schema;
    }

    private static ObjectNode metadataSchema() {
        var schema = JSON.createObjectNode().put("type", "object");
        var properties = schema.putObject("properties");
        properties.putObject("name").put("type", "string");
        properties.putObject("platform").put("type", "string");
        for (var side : new String[] {"inputs", "outputs"}) {
            var tensor = tensorSchema();
            ((ObjectNode) tensor.get("properties")).remove("data");
            properties.putObject(side).put("type", "array").set("items", tensor);
        }
        return schema;
    }
}
