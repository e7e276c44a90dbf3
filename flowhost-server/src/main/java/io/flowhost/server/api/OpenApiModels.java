package io.flowhost.server.api;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * Adds the model's routes; with its {@code metadata} (what its metadata route answers, or null when no instance
     * runs to say), each input tensor's name, datatype and shape constrain the inference request and make its example.
     */
    static void add(ObjectNode paths, String model, JsonNode metadata) {
        var prefix = "/v2/models/" + model;
        var describe = paths.putObject(prefix).putObject("get");
        describe.put("operationId", model + ".metadata")
                .put("summary", "The model's inputs and outputs: names, datatypes, shapes");
        describe.putArray("tags").add(model);
        var described = describe.putObject("responses");
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
        var request = infer.putObject("requestBody")
                .put("required", true)
                .putObject("content")
                .putObject("application/json");
        var requestSchema = inferSchema("inputs");
        if (metadata != null
                && metadata.path("inputs").isArray()
                && !metadata.path("inputs").isEmpty()) {
            constrain(requestSchema, metadata.path("inputs"));
            request.set("example", example(metadata.path("inputs")));
        } else {
            infer.put(
                    "description",
                    "No instance of the model runs now to tell its tensors: GET " + prefix
                            + " names them once one does.");
        }
        request.set("schema", requestSchema);
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

    /** Each input tensor the model takes, as one of the shapes an item of {@code inputs} may have. */
    private static void constrain(ObjectNode request, JsonNode inputs) {
        var items = (ObjectNode) request.get("properties").get("inputs");
        var oneOf = JSON.createArrayNode();
        var described = new StringBuilder("The model's inputs:");
        for (var input : inputs) {
            var tensor = tensorSchema();
            var properties = (ObjectNode) tensor.get("properties");
            properties
                    .putObject("name")
                    .put("type", "string")
                    .put("const", input.path("name").asText());
            properties
                    .putObject("datatype")
                    .put("type", "string")
                    .put("const", input.path("datatype").asText());
            var dims = JSON.createArrayNode();
            for (var dim : input.path("shape")) {
                // -1 is any size (the batch dimension, say); any other size is fixed
                dims.add(
                        dim.asLong() < 0
                                ? JSON.createObjectNode().put("type", "integer").put("minimum", 1)
                                : JSON.createObjectNode().put("const", dim.asLong()));
            }
            properties
                    .putObject("shape")
                    .put("type", "array")
                    .put("minItems", dims.size())
                    .put("maxItems", dims.size())
                    .set("prefixItems", dims);
            oneOf.add(tensor);
            described
                    .append(' ')
                    .append(input.path("name").asText())
                    .append(' ')
                    .append(input.path("datatype").asText())
                    .append(' ')
                    .append(input.path("shape"));
        }
        items.set("items", JSON.createObjectNode().set("oneOf", oneOf));
        request.put("description", described + " (-1: any size)");
    }

    /** A request the model takes: each input with one row of zeros (a size left open is 1). */
    private static ObjectNode example(JsonNode inputs) {
        var example = JSON.createObjectNode();
        var tensors = example.putArray("inputs");
        for (var input : inputs) {
            var tensor = tensors.addObject().put("name", input.path("name").asText());
            var shape = tensor.putArray("shape");
            long values = 1;
            for (var dim : input.path("shape")) {
                long size = Math.max(1, dim.asLong());
                shape.add(size);
                values *= size;
            }
            tensor.put("datatype", input.path("datatype").asText());
            var data = tensor.putArray("data");
            boolean bool = input.path("datatype").asText().equals("BOOL");
            for (long i = 0; i < Math.min(values, 1024); i++) {
                if (bool) {
                    data.add(false);
                } else {
                    data.add(0);
                }
            }
        }
        return example;
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
