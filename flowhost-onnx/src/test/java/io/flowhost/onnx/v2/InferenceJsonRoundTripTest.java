package io.flowhost.onnx.v2;

import static io.flowhost.onnx.IrisExpectations.EXPECTED_ARGMAX;
import static io.flowhost.onnx.IrisExpectations.EXPECTED_PROBABILITIES;
import static io.flowhost.onnx.IrisExpectations.SAMPLE_ROWS;
import static io.flowhost.onnx.IrisExpectations.TOLERANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.onnx.IrisExpectations;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.TensorMismatchException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceJsonRoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    // The sample rows as a client would send them: the decimal text, which reads back as the same float32 numbers.
    private static final String FLAT_REQUEST = """
            {"id": "req-1",
             "parameters": {"priority": 2},
             "inputs": [{"name": "features", "shape": [3, 4], "datatype": "FP32",
                         "data": [5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4, 6.3, 3.3, 6.0, 2.5]}],
             "outputs": [{"name": "probabilities"}]}
            """;

    private static final String NESTED_REQUEST = """
            {"inputs": [{"name": "features", "shape": [3, 4], "datatype": "FP32",
                         "data": [[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]]}]}
            """;

    private static OnnxModel model;

    @BeforeAll
    static void load() {
        model = OnnxModel.load(IrisExpectations.model());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aRequestWithFlatDataReadsAsOneRowMajorTensorWithItsIdParametersAndOutputs() {
        InferenceRequest request = parse(FLAT_REQUEST);

        assertThat(request.id()).isEqualTo("req-1");
        assertThat(request.parameters().get("priority").intValue()).isEqualTo(2);
        assertThat(request.outputs()).containsExactly("probabilities");
        assertThat(request.inputs()).containsExactly(Map.entry("features", Tensor.fp32("features", SAMPLE_ROWS)));
    }

    @Test
    void aRequestWithNestedDataReadsAsTheSameTensorAsFlatData() {
        InferenceRequest nested = parse(NESTED_REQUEST);

        assertThat(nested.inputs()).isEqualTo(parse(FLAT_REQUEST).inputs());
        assertThat(nested.id()).isNull();
        assertThat(nested.parameters().isEmpty()).isTrue();
        assertThat(nested.outputs()).isEmpty();
    }

    @Test
    void aParsedRequestRunsAndItsResponseCarriesTheExpectedProbabilities() throws Exception {
        InferenceRequest request = parse(FLAT_REQUEST);
        Map<String, Tensor> outputs = model.infer(request.inputs(), request.outputs());

        ObjectNode response = InferenceJson.writeResponse("iris", "3", request.id(), outputs.values());

        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(response));
        assertThat(written.get("model_name").asText()).isEqualTo("iris");
        assertThat(written.get("model_version").asText()).isEqualTo("3");
        assertThat(written.get("id").asText()).isEqualTo("req-1");
        JsonNode output = written.get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("probabilities");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("shape").toString()).isEqualTo("[3,3]");
        JsonNode data = output.get("data");
        assertThat(data.size()).isEqualTo(9);
        for (int row = 0; row < 3; row++) {
            float[] probabilities = new float[3];
            for (int c = 0; c < 3; c++) {
                probabilities[c] = data.get(row * 3 + c).floatValue();
                assertThat(probabilities[c]).isCloseTo(EXPECTED_PROBABILITIES[row][c], within(TOLERANCE));
            }
            assertThat(IrisExpectations.argmax(probabilities)).isEqualTo(EXPECTED_ARGMAX[row]);
        }
    }

    @Test
    void aResponseLeavesOutTheVersionAndIdItWasNotGiven() {
        ObjectNode response = InferenceJson.writeResponse("iris", null, null, List.of());

        assertThat(response.toString()).isEqualTo("{\"model_name\":\"iris\",\"outputs\":[]}");
    }

    @Test
    void fp32OutputsAreWrittenAsTheShortestTextThatReadsBackAsTheSameFloat() throws Exception {
        float[] values = {0.1f, 0.9472655f, 2.4611269E-5f, Float.MIN_VALUE, Float.MAX_VALUE, -0f};
        Tensor tensor = Tensor.fp32("p", new long[] {values.length}, values);

        String json = MAPPER.writeValueAsString(InferenceJson.writeResponse("m", null, null, List.of(tensor)));

        assertThat(json).contains("\"data\":[0.1,0.9472655,2.4611269E-5,1.4E-45,3.4028235E38,-0.0]");
        InferenceRequest back = parse(json.replace("\"outputs\"", "\"inputs\""));
        assertThat(back.inputs().get("p").floats()).isEqualTo(values);
    }

    @Test
    void everySupportedDatatypeIsWrittenAsTheProtocolsJsonValues() {
        String request = """
                {"inputs": [
                  {"name": "b", "shape": [2], "datatype": "BOOL", "data": [true, false]},
                  {"name": "u8", "shape": [2], "datatype": "UINT8", "data": [0, 255]},
                  {"name": "i8", "shape": [2], "datatype": "INT8", "data": [-128, 127]},
                  {"name": "i16", "shape": [2], "datatype": "INT16", "data": [-32768, 32767]},
                  {"name": "i32", "shape": [2], "datatype": "INT32", "data": [-2147483648, 2147483647]},
                  {"name": "i64", "shape": [2], "datatype": "INT64",
                   "data": [-9223372036854775808, 9223372036854775807]},
                  {"name": "f16", "shape": [2], "datatype": "FP16", "data": [0.5, -65504.0]},
                  {"name": "f32", "shape": [2], "datatype": "FP32", "data": [0.5, 1.0E-7]},
                  {"name": "f64", "shape": [2], "datatype": "FP64", "data": [0.1, 1.0E300]},
                  {"name": "s", "shape": [2], "datatype": "BYTES", "data": ["a", "grüße"]}]}
                """;
        InferenceRequest parsed = parse(request);

        ObjectNode response =
                InferenceJson.writeResponse("m", null, null, parsed.inputs().values());

        JsonNode asked = readTree(request).get("inputs");
        JsonNode written = response.get("outputs");
        for (int i = 0; i < asked.size(); i++) {
            assertThat(written.get(i).get("name")).isEqualTo(asked.get(i).get("name"));
            assertThat(written.get(i).get("datatype")).isEqualTo(asked.get(i).get("datatype"));
            assertThat(written.get(i).get("data").toString())
                    .as(asked.get(i).get("name").asText())
                    .isEqualTo(asked.get(i).get("data").toString());
        }
    }

    @Test
    void aRequestThatDoesNotFitTheModelFailsNamingTheInputAndBothShapes() {
        InferenceRequest request = parse("""
                {"inputs": [{"name": "features", "shape": [1, 5], "datatype": "FP32", "data": [1, 2, 3, 4, 5]}]}
                """);

        assertThatThrownBy(() -> model.infer(request.inputs(), request.outputs()))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'features': shape [1, 5] does not fit the model's [-1, 4]"
                        + " (dimension 1 is 5, expected 4)");
    }

    @Test
    void modelMetadataNamesThePlatformAndEveryTensor() {
        ObjectNode metadata = InferenceJson.writeMetadata("iris", List.of("3"), model);

        // Compared as text, since JSON nodes of equal numbers but different Java types are not equal.
        assertThat(metadata.toString()).isEqualTo(readTree("""
                {"name": "iris", "versions": ["3"], "platform": "onnxruntime_onnx",
                 "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}],
                 "outputs": [{"name": "probabilities", "datatype": "FP32", "shape": [-1, 3]}]}
                """).toString());
    }

    @Test
    void modelMetadataLeavesOutVersionsWhenThereAreNone() {
        assertThat(InferenceJson.writeMetadata("iris", List.of(), model).has("versions"))
                .isFalse();
    }

    private static InferenceRequest parse(String json) {
        return InferenceJson.parseRequest(MAPPER, json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
