package io.flowhost.onnx.v2;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.onnx.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Open Inference Protocol request: its id and parameters, its input tensors and the outputs it asks for.
 *
 * @param id         the request id to echo in the response, or null if the request had none
 * @param parameters the request's parameters object, empty if it had none
 * @param inputs     the input tensors by name, in request order
 * @param outputs    the names of the outputs asked for, in request order; empty means every output
 */
public record InferenceRequest(String id, ObjectNode parameters, Map<String, Tensor> inputs, List<String> outputs) {

    /** Copies everything in, so that the request cannot change after parsing. */
    public InferenceRequest {
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(inputs, "inputs")));
        outputs = List.copyOf(outputs);
    }

    /** Returns the request id, if the request had one. */
    public Optional<String> optionalId() {
        return Optional.ofNullable(id);
    }

    /** Returns a copy of the parameters, since JSON nodes can be changed in place. */
    @Override
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }
}
