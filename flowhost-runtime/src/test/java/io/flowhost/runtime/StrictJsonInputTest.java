package io.flowhost.runtime;

import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.parse;
import static io.flowhost.runtime.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An instance refuses, with a 400 that names the field in JSON terms, the bodies Jackson would otherwise bind
 * silently or describe in Java terms: numbers no double can hold, duplicate keys, values of the wrong JSON type.
 */
class StrictJsonInputTest {

    public record Flower(
            @JsonProperty(value = "sepal_length", required = true)
            double sepalLength,

            @JsonProperty("petal_width") Double petalWidth) {}

    public enum Species {
        SETOSA,
        VERSICOLOR
    }

    public record Order(List<Flower> flowers, Species species, int count) {}

    public record Numbers(
            Double boxed,
            Float single,
            BigDecimal exact,
            Long big,
            double[] vector,
            float[] floats,
            List<Double> list,
            Object any,
            JsonNode tree) {}

    @Service(name = "strict")
    public static class StrictService {

        @Endpoint
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }

        @Endpoint
        public Flower flower(Flower flower) {
            return flower;
        }

        @Endpoint
        public Order order(Order order) {
            return order;
        }

        @Endpoint
        public Numbers numbers(Numbers numbers) {
            return numbers;
        }
    }

    private static final String STRICT = "/v1/services/strict/";
    private static final String DOUBLES = "a number from -1.7976931348623157E308 to 1.7976931348623157E308";
    private static final String FLOATS = "a number from -3.4028235E38 to 3.4028235E38";

    /** What a detail must never name: Java's types and packages, Jackson's classes and its settings. */
    private static final Pattern JAVA_NAMES = Pattern.compile("[`$]|java\\.|io\\.flowhost|com\\.fasterxml|Exception"
            + "|Feature|JsonToken|Source:|StrictJsonInputTest|Flower|Order|Species|\\bdouble\\b|Double|ArrayList");

    private static Instance instance;
    private static int port;

    @BeforeAll
    static void serve() throws Exception {
        instance = Instance.serve(InstanceOptions.forClass(StrictService.class));
        port = instance.port();
    }

    @AfterAll
    static void close() {
        if (instance != null) {
            instance.close();
        }
    }

    // ---- numbers a double or a float cannot hold ------------------------------------------

    @Test
    void aNumberTooLargeForADoubleInAMapBodyIs400NamingTheKeyAndTheRangeNotAnInfinity() {
        var response = post(port, STRICT + "echo", "{\"x\": 1e400}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        var problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.path("field").asText()).isEqualTo("x");
        assertThat(problem.path("detail").asText()).isEqualTo("field 'x' is out of range: it expects " + DOUBLES);
    }

    @Test
    void aNumberTooLargeDeepInAnUntypedBodyIsNamedByItsWholeJsonPath() {
        var response = post(port, STRICT + "echo", "{\"a\": {\"b\": [1, -1e400]}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("field").asText()).isEqualTo("a.b[1]");
    }

    record OutOfRange(String body, String field, String range) {
        @Override
        public String toString() {
            return body;
        }
    }

    static Stream<OutOfRange> numbersOutOfRange() {
        return Stream.of(
                new OutOfRange("{\"boxed\": 1e400}", "boxed", DOUBLES),
                new OutOfRange("{\"boxed\": -1e309}", "boxed", DOUBLES),
                new OutOfRange("{\"boxed\": 1" + "0".repeat(400) + "}", "boxed", DOUBLES),
                new OutOfRange("{\"single\": 1e39}", "single", FLOATS),
                new OutOfRange("{\"vector\": [1, 1e400]}", "vector[1]", DOUBLES),
                new OutOfRange("{\"floats\": [1e39]}", "floats[0]", FLOATS),
                new OutOfRange("{\"list\": [0.5, 1e400]}", "list[1]", DOUBLES),
                new OutOfRange("{\"any\": {\"deep\": [1e400]}}", "any.deep[0]", DOUBLES),
                new OutOfRange("{\"tree\": {\"z\": 1e400}}", "tree.z", DOUBLES),
                new OutOfRange("{\"big\": 1e19}", "big", "an integer from -9223372036854775808 to 9223372036854775807"),
                // Jackson reads these strings into a double as NaN and Infinity: not numbers either.
                new OutOfRange("{\"boxed\": \"NaN\"}", "boxed", DOUBLES),
                new OutOfRange("{\"boxed\": \"-Infinity\"}", "boxed", DOUBLES),
                new OutOfRange("{\"boxed\": \"1e400\"}", "boxed", DOUBLES),
                new OutOfRange("{\"list\": [\"Infinity\"]}", "list[0]", DOUBLES),
                new OutOfRange("{\"vector\": [1, \"NaN\"]}", "vector", DOUBLES),
                new OutOfRange("{\"floats\": [\"1e39\"]}", "floats", FLOATS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbersOutOfRange")
    void aNumberOutOfRangeForItsTypedFieldIs400NamingTheFieldAndTheRange(OutOfRange call) {
        var response = post(port, STRICT + "numbers", call.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        var problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.path("field").asText()).isEqualTo(call.field());
        assertThat(problem.path("detail").asText())
                .isEqualTo("field '" + call.field() + "' is out of range: it expects " + call.range());
    }

    @Test
    void aPrimitiveDoubleComponentOutOfRangeIsNamedByItsJsonName() {
        var response = post(port, STRICT + "flower", "{\"sepal_length\": 1e400}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("field").asText()).isEqualTo("sepal_length");
        assertThat(json(response).path("detail").asText()).contains(DOUBLES);
    }

    @Test
    void anIntegerOutOfRangeIs400SayingTheRangeOfAnInt() {
        var response = post(port, STRICT + "order", "{\"count\": 12345678901}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("detail").asText())
                .isEqualTo("field 'count' is out of range: it expects an integer from -2147483648 to 2147483647");
    }

    @Test
    void numbersThatFitAreStillAcceptedAndABigDecimalKeepsAHugeOneExactly() {
        var response = post(
                port,
                STRICT + "numbers",
                "{\"boxed\": 1.7976931348623157e308, \"single\": 3.4e38, \"exact\": 1e400, \"vector\": [1e-400],"
                        + " \"any\": {\"n\": 123456789012345678901234567890}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var body = json(response);
        assertThat(body.path("boxed").asDouble()).isEqualTo(Double.MAX_VALUE);
        assertThat(response.body()).contains("\"exact\":1E+400"); // the test's own reader would make it Infinity
        assertThat(body.path("any").path("n").bigIntegerValue()).hasToString("123456789012345678901234567890");
    }

    // ---- duplicate keys -------------------------------------------------------------------

    @Test
    void aDuplicateKeyIs400NamingTheKeyWithItsLineAndColumn() {
        var response = post(port, STRICT + "flower", "{\"sepal_length\": 5.1,\n \"sepal_length\": -1}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        var problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.path("field").asText()).isEqualTo("sepal_length");
        assertThat(problem.path("line").asInt()).isEqualTo(2);
        assertThat(problem.path("column").asInt()).isEqualTo(16);
        assertThat(problem.path("detail").asText())
                .startsWith("field 'sepal_length' appears more than once in the request body (line 2, column 16)");
    }

    @Test
    void aDuplicateKeyInAMapBodyIsRefusedRatherThanTheLastOneWinning() {
        var response = post(port, STRICT + "echo", "{\"a\": {\"b\": 1, \"b\": 2}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("field").asText()).isEqualTo("a.b");
    }

    @Test
    void theSameKeyInTwoObjectsIsNoDuplicate() {
        var response = post(port, STRICT + "echo", "{\"a\": {\"n\": 1}, \"b\": {\"n\": 2}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(parse("{\"a\": {\"n\": 1}, \"b\": {\"n\": 2}}"));
    }

    // ---- details in JSON terms ------------------------------------------------------------

    record Wrong(String name, String endpoint, String body, String field, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Wrong> wrongBodies() {
        return Stream.of(
                new Wrong(
                        "a string for a number",
                        "flower",
                        "{\"sepal_length\": \"tall\"}",
                        "sepal_length",
                        "field 'sepal_length' expects a number, got a string"),
                new Wrong(
                        "a record component of the wrong type, in a list",
                        "order",
                        "{\"flowers\": [{\"sepal_length\": [5.1]}], \"count\": 1}",
                        "flowers[0].sepal_length",
                        "field 'flowers[0].sepal_length' expects a number, got an array"),
                new Wrong(
                        "an object where an array is expected",
                        "order",
                        "{\"flowers\": {\"sepal_length\": 5.1}, \"count\": 1}",
                        "flowers",
                        "field 'flowers' expects an array, got an object"),
                new Wrong(
                        "an unknown enum value",
                        "order",
                        "{\"species\": \"rose\", \"count\": 1}",
                        "species",
                        "field 'species' expects one of: SETOSA, VERSICOLOR"),
                new Wrong(
                        "a missing required constructor parameter",
                        "flower",
                        "{\"petal_width\": 0.2}",
                        "sepal_length",
                        "field 'sepal_length' is missing; it expects a number"),
                new Wrong(
                        "an array where an object is expected",
                        "flower",
                        "[5.1, 0.2]",
                        "",
                        "the request body must be an object, got an array"),
                new Wrong(
                        "a map body that is an array",
                        "echo",
                        "[1]",
                        "",
                        "the request body must be an object, got an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongBodies")
    void aBodyOfTheWrongJsonTypeIs400NamingTheFieldAndTheJsonItExpectsNotAJavaType(Wrong call) {
        var response = post(port, STRICT + call.endpoint(), call.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        var problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.path("field").asText()).isEqualTo(call.field());
        assertThat(problem.path("detail").asText()).isEqualTo(call.detail());
        assertThat(response.body()).doesNotContainPattern(JAVA_NAMES);
    }

    @Test
    void aMalformedBodyNamesNeitherJacksonsSourceNorItsSettings() {
        var response = post(port, STRICT + "flower", "{\"sepal_length\": NaN}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("type").asText()).isEqualTo("urn:flowhost:problem:malformed-json");
        assertThat(response.body()).contains("Non-standard token 'NaN'").doesNotContainPattern(JAVA_NAMES);
    }

    // ---- the Open Inference Protocol reads with the same mapper ---------------------------

    @Test
    void anInferenceBodyWithANumberNoDoubleHoldsOrADuplicateKeyIs400() throws Exception {
        var model = Path.of(StrictJsonInputTest.class.getResource("/iris.onnx").toURI());
        try (var onnx = Instance.serve(InstanceOptions.forOnnx("file:" + model, "iris-onnx"))) {
            var infer = "/v2/models/iris-onnx/infer";
            var huge = post(onnx.port(), infer, """
                    {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1e400, 1, 1, 1]}]}""");
            var twice = post(onnx.port(), infer, """
                    {"inputs": [], "inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32",
                     "data": [5.1, 3.5, 1.4, 0.2]}]}""");

            assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
            assertThat(json(huge).path("detail").asText()).contains("out of range");
            assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
            assertThat(json(twice).path("detail").asText()).contains("'inputs'");
        }
    }
}
