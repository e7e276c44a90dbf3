package io.flowhost.onnx.v2;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.onnx.InvalidInputException;
import io.flowhost.onnx.TensorMismatchException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MalformedRequestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request whose one input has the given datatype, shape and data. */
    private static String input(String datatype, String shape, String data) {
        return "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape
                + ", \"data\": " + data + "}]}";
    }

    static Stream<Arguments> malformedRequests() {
        Class<InferenceRequestException> request = InferenceRequestException.class;
        Class<TensorMismatchException> tensor = TensorMismatchException.class;
        return Stream.of(
                Arguments.of(
                        "a body that is not an object",
                        "[1]",
                        request,
                        "the request must be a JSON object, got an array"),
                Arguments.of("a request without inputs", "{}", request, "the request has no 'inputs'"),
                Arguments.of(
                        "inputs that are not an array",
                        "{\"inputs\": {\"name\": \"x\"}}",
                        request,
                        "'inputs' must be an array of tensors, got an object"),
                Arguments.of(
                        "an input that is not an object",
                        "{\"inputs\": [5]}",
                        request,
                        "inputs[0] must be an object, got a number"),
                Arguments.of(
                        "an input without a name",
                        "{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}",
                        request,
                        "inputs[0] has no 'name'"),
                Arguments.of(
                        "an input whose name is not a string",
                        "{\"inputs\": [{\"name\": 7, \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}",
                        request,
                        "inputs[0]: 'name' must be a non-empty string, got a number"),
                Arguments.of(
                        "an input without a shape",
                        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]}",
                        request,
                        "input 'x' has no 'shape'"),
                Arguments.of(
                        "a shape that is not integers",
                        input("FP32", "[1.5]", "[1]"),
                        request,
                        "input 'x': 'shape' must be an array of non-negative integers, got an array"),
                Arguments.of(
                        "a shape with a negative dimension",
                        input("FP32", "[-1, 4]", "[1, 2, 3, 4]"),
                        request,
                        "input 'x': 'shape' must be an array of non-negative integers, got an array"),
                Arguments.of(
                        "an input without a datatype",
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"data\": [1]}]}",
                        request,
                        "input 'x' has no 'datatype'"),
                Arguments.of(
                        "an unknown datatype",
                        input("FLOAT32", "[1]", "[1]"),
                        tensor,
                        "input 'x': unknown datatype 'FLOAT32'; the protocol's datatypes are [BOOL, UINT8, UINT16,"
                                + " UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES]"),
                Arguments.of(
                        "an unsupported datatype",
                        input("UINT32", "[1]", "[1]"),
                        tensor,
                        "input 'x': datatype UINT32 is not supported; supported are [BOOL, UINT8, INT8, INT16,"
                                + " INT32, INT64, FP16, FP32, FP64, BYTES]"),
                Arguments.of(
                        "an input without data",
                        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1]}]}",
                        request,
                        "input 'x' has no 'data'"),
                Arguments.of(
                        "data that are not an array",
                        input("FP32", "[1]", "\"1.0\""),
                        tensor,
                        "input 'x': 'data' must be an array, got a string"),
                Arguments.of(
                        "flat data short of the shape",
                        input("FP32", "[2, 4]", "[1, 2, 3, 4, 5, 6, 7]"),
                        tensor,
                        "input 'x': shape [2, 4] needs 8 values, 'data' has 7"),
                Arguments.of(
                        "ragged nested data",
                        input("FP32", "[2, 2]", "[[1, 2], [3]]"),
                        tensor,
                        "input 'x': nested 'data' does not follow shape [2, 2]: data[1] has 1 element, expected 2"),
                Arguments.of(
                        "nested data deeper than the shape",
                        input("FP32", "[2]", "[[1], [2]]"),
                        tensor,
                        "input 'x': nested 'data' does not follow shape [2]: data[0] is an array, but the shape has"
                                + " only 1 dimension"),
                Arguments.of(
                        "an array among flat data",
                        input("FP32", "[3]", "[1, [2], 3]"),
                        tensor,
                        "input 'x': value 1 of 'data' is [2], not a number for FP32"),
                Arguments.of(
                        "a string among FP32 data",
                        input("FP32", "[2]", "[1.5, \"2.5\"]"),
                        tensor,
                        "input 'x': value 1 of 'data' is \"2.5\", not a number for FP32"),
                Arguments.of(
                        "an FP32 value beyond float",
                        input("FP32", "[1]", "[1e39]"),
                        tensor,
                        "input 'x': value 0 of 'data' is 1.0E39, out of range for FP32"),
                Arguments.of(
                        "an FP16 value beyond half precision",
                        input("FP16", "[1]", "[70000]"),
                        tensor,
                        "input 'x': value 0 of 'data' is 70000, out of range (FP16 reaches 65504) for FP16"),
                Arguments.of(
                        "a fraction among INT64 data",
                        input("INT64", "[2]", "[1, 2.5]"),
                        tensor,
                        "input 'x': value 1 of 'data' is 2.5, not an integer for INT64"),
                Arguments.of(
                        "an INT8 value out of range",
                        input("INT8", "[2]", "[127, 128]"),
                        tensor,
                        "input 'x': value 1 of 'data' is 128, out of range (-128 to 127) for INT8"),
                Arguments.of(
                        "a negative UINT8 value",
                        input("UINT8", "[1]", "[-1]"),
                        tensor,
                        "input 'x': value 0 of 'data' is -1, out of range (0 to 255) for UINT8"),
                Arguments.of(
                        "an INT64 value beyond long",
                        input("INT64", "[1]", "[9223372036854775808]"),
                        tensor,
                        "input 'x': value 0 of 'data' is 9223372036854775808, out of range (-9223372036854775808 to"
                                + " 9223372036854775807) for INT64"),
                Arguments.of(
                        "a number among BOOL data",
                        input("BOOL", "[2]", "[true, 1]"),
                        tensor,
                        "input 'x': value 1 of 'data' is 1, not true or false for BOOL"),
                Arguments.of(
                        "a number among BYTES data",
                        input("BYTES", "[2]", "[\"a\", 1]"),
                        tensor,
                        "input 'x': value 1 of 'data' is 1, not a string for BYTES"),
                Arguments.of(
                        "an input given twice",
                        "{\"inputs\": [" + tensorJson("x") + ", " + tensorJson("x") + "]}",
                        request,
                        "input 'x' appears more than once"),
                Arguments.of(
                        "binary tensor data",
                        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1],"
                                + " \"parameters\": {\"binary_data_size\": 4}}]}",
                        request,
                        "input 'x' uses the binary data extension, which is not supported; send its values as JSON"
                                + " in 'data'"),
                Arguments.of(
                        "an id that is not a string",
                        "{\"id\": 5, \"inputs\": []}",
                        request,
                        "'id' must be a string, got a number"),
                Arguments.of(
                        "parameters that are not an object",
                        "{\"parameters\": [], \"inputs\": []}",
                        request,
                        "'parameters' must be an object, got an array"),
                Arguments.of(
                        "outputs that are not an array",
                        "{\"inputs\": [], \"outputs\": \"y\"}",
                        request,
                        "'outputs' must be an array of {\"name\": ...}, got a string"),
                Arguments.of(
                        "an output without a name",
                        "{\"inputs\": [], \"outputs\": [{}]}",
                        request,
                        "outputs[0] must be an object with a non-empty 'name'"),
                Arguments.of(
                        "an output asked for twice",
                        "{\"inputs\": [], \"outputs\": [{\"name\": \"y\"}, {\"name\": \"y\"}]}",
                        request,
                        "output 'y' is asked for more than once"),
                Arguments.of(
                        "a body that is not JSON", "{\"inputs\": [", request, "the request body is not valid JSON: "),
                Arguments.of(
                        "an empty body",
                        "",
                        request,
                        "the request body is empty; it must be a JSON object with 'inputs'"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("malformedRequests")
    void aMalformedRequestIsRefusedWithAMessageNamingTheProblem(
            String what, String body, Class<? extends InvalidInputException> type, String message) {
        assertThatThrownBy(() -> InferenceJson.parseRequest(MAPPER, body.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(type)
                .message()
                .startsWith(message);
    }

    @Test
    void aTruncatedBodySaysWhereWithoutQuotingJacksonsSettings() {
        assertThatThrownBy(() -> InferenceJson.parseRequest(
                        MAPPER, "{\"inputs\": [{\"name\": \"x\"".getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(InferenceRequestException.class)
                .message()
                .startsWith("the request body is not valid JSON: ")
                .contains("start marker at line 1, column 13")
                .doesNotContain("Source")
                .doesNotContain("StreamReadFeature");
    }

    @Test
    void everyMalformedRequestIsAnInvalidInputThatAServerAnswersWith400() {
        assertThatThrownBy(() -> InferenceJson.readRequest(MAPPER.createArrayNode()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> InferenceJson.readRequest(MAPPER.readTree(input("INT8", "[1]", "[999]"))))
                .isInstanceOf(InvalidInputException.class);
    }

    private static String tensorJson(String name) {
        return "{\"name\": \"" + name + "\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}";
    }
}
