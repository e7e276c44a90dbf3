package io.flowhost.onnx.v2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.onnx.InvalidInputException;
import io.flowhost.onnx.IrisExpectations;
import io.flowhost.onnx.OnnxModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer's coverage-guided fuzzing of the Open Inference Protocol's request decoding, as far as the model: any body
 * either is parsed, checked against the iris model's inputs and inferred (and its answer written), or fails with
 * {@link InvalidInputException}, which the instance answers 400 in the caller's terms. Anything else (ONNX Runtime
 * refusing a tensor the checks let by, another exception, a stack overflow, running out of memory, a hang) is a
 * finding that fails the test. Seeds are in {@code InferenceFuzzTestInputs/}; a finding is saved there and replayed.
 */
class InferenceFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OnnxModel iris;

    @BeforeAll
    static void load() {
        iris = OnnxModel.load(IrisExpectations.model());
    }

    @AfterAll
    static void close() {
        iris.close();
    }

    @FuzzTest
    void infersOrSaysWhy(byte[] body) throws Exception {
        InferenceRequest request;
        try {
            request = InferenceJson.parseRequest(JSON, body);
        } catch (InvalidInputException expected) {
            return;
        }
        try {
            var outputs = iris.infer(request.inputs(), request.outputs());
            JSON.writeValueAsBytes(InferenceJson.writeResponse("iris", null, request.id(), outputs.values()));
        } catch (InvalidInputException expected) {
            // a tensor the model does not take, or an output it does not have
        }
    }
}
