package io.flowhost.onnx.v2;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Pure functions between Open Inference Protocol (KServe v2) REST JSON and flowhost tensors.
 *
 * <p>Readers fail with {@link InferenceRequestException} when the JSON is not shaped as the protocol says, and with
 * {@link io.flowhost.onnx.TensorMismatchException} when a tensor's values do not fit its datatype or shape; both
 * extend {@link io.flowhost.onnx.InvalidInputException}, an HTTP 400 whose message names the tensor and the problem.
 */
public final class InferenceJson {
    /** The platform name the protocol's model metadata gives for ONNX Runtime models. */
    public static final String PLATFORM = "onnxruntime_onnx";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A location Jackson writes inside a message: the line and column are kept, its source is not. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    private InferenceJson() {}

    /** Parses a request body with the given mapper, failing with InferenceRequestException if it is not JSON. */
    public static InferenceRequest parseRequest(ObjectMapper mapper, byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // Jackson quotes its own settings in a location inside the message ("[Source: REDACTED (`Stream...")
            var said = SOURCE.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("line $1, column $2");
            throw new InferenceRequestException("the request body is not valid JSON: " + said
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new InferenceRequestException("the request body cannot be read: " + e.getMessage());
        }
        // readTree gives null or a MissingNode for an empty body, depending on the mapper's settings.
        if (node == null || node.isMissingNode()) {
            throw new InferenceRequestException("the request body is empty; it must be a JSON object with 'inputs'");
        }
        return readRequest(node);
    }

    /** Reads an inference request: {@code {"id"?, "parameters"?, "inputs": [...], "outputs"?: [{"name"}]}}. */
    public static InferenceRequest readRequest(JsonNode body) {
        Objects.requireNonNull(body, "body");
        if (!body.isObject()) {
            throw new InferenceRequestException("the request must be a JSON object, got " + kind(body));
        }
        JsonNode id = body.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            throw new InferenceRequestException("'id' must be a string, got " + kind(id));
        }
        JsonNode parameters = body.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new InferenceRequestException("'parameters' must be an object, got " + kind(parameters));
        }
        return new InferenceRequest(
                id == null || id.isNull() ? null : id.textValue(),
                parameters == null || parameters.isNull() ? null : (ObjectNode) parameters,
                inputs(body.get("inputs")),
                outputs(body.get("outputs")));
    }

    /** Writes an inference response; {@code modelVersion} and {@code id} are left out when null. */
    public static ObjectNode writeResponse(
            String modelName, String modelVersion, String id, Collection<Tensor> outputs) {
        Objects.requireNonNull(modelName, "modelName");
        ObjectNode response = JSON.objectNode();
        response.put("model_name", modelName);
        if (modelVersion != null) {
            response.put("model_version", modelVersion);
        }
        if (id != null) {
            response.put("id", id);
        }
        ArrayNode array = response.putArray("outputs");
        outputs.forEach(tensor -> array.add(TensorJson.write(tensor)));
        return response;
    }

    /** Writes model metadata for an ONNX model; {@code versions} is left out when empty. */
    public static ObjectNode writeMetadata(
            String name, List<String> versions, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        Objects.requireNonNull(name, "name");
        ObjectNode metadata = JSON.objectNode();
        metadata.put("name", name);
        if (!versions.isEmpty()) {
            versions.forEach(metadata.putArray("versions")::add);
        }
        metadata.put("platform", PLATFORM);
        metadata.set("inputs", specs(inputs));
        metadata.set("outputs", specs(outputs));
        return metadata;
    }

    /** Writes model metadata from a loaded model's inputs and outputs; {@code versions} is left out when empty. */
    public static ObjectNode writeMetadata(String name, List<String> versions, OnnxModel model) {
        return writeMetadata(name, versions, model.inputs(), model.outputs());
    }

    private static Map<String, Tensor> inputs(JsonNode inputs) {
        if (inputs == null || inputs.isNull()) {
            throw new InferenceRequestException("the request has no 'inputs'");
        }
        if (!inputs.isArray()) {
            throw new InferenceRequestException("'inputs' must be an array of tensors, got " + kind(inputs));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor tensor = TensorJson.read(inputs.get(i), i);
            if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
                throw new InferenceRequestException("input '" + tensor.name() + "' appears more than once");
            }
        }
        return tensors;
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw new InferenceRequestException("'outputs' must be an array of {\"name\": ...}, got " + kind(outputs));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode name = outputs.get(i).get("name");
            if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
                throw new InferenceRequestException("outputs[" + i + "] must be an object with a non-empty 'name'");
            }
            if (names.contains(name.textValue())) {
                throw new InferenceRequestException("output '" + name.textValue() + "' is asked for more than once");
            }
            names.add(name.textValue());
        }
        return names;
    }

    private static ArrayNode specs(List<TensorSpec> specs) {
        ArrayNode array = JSON.arrayNode();
        for (TensorSpec spec : specs) {
            ObjectNode node = array.addObject();
            node.put("name", spec.name());
            node.put("datatype", spec.datatype());
            ArrayNode shape = node.putArray("shape");
            for (long dim : spec.shape()) {
                shape.add(dim);
            }
        }
        return array;
    }

    /** Names a JSON node's kind for messages, such as "a string" or "an array". */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }
}
