package io.flowhost.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Jackson's complaints about a body, read by a mapper as strict as an instance's, in the caller's terms. */
class BadInputTest {

    public enum Size {
        SMALL,
        LARGE
    }

    public record Flower(
            @JsonProperty(value = "sepal_length", required = true)
            double sepalLength,

            @JsonProperty("petal_width") Double petalWidth) {}

    public record Bouquet(List<Flower> flowers, Size size, int count) {}

    public record Measured(@JsonProperty("sepal_length") double sepalLength) {
        public Measured {
            if (sepalLength <= 0) {
                throw new IllegalArgumentException("sepal_length must be positive");
            }
        }
    }

    public record Rows(double[][] rows, List<float[]> more) {}

    /** No JSON makes one: its component is an interface. */
    public record Unbindable(Runnable task) {}

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What a detail must never name: Java's types and packages, Jackson's classes and its settings. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "[`$]|java\\.|io\\.flowhost|com\\.fasterxml|Exception|Feature|JsonToken|Source:|BadInputTest|Flower|Bouquet"
                    + "|Measured|Unbindable|Rows|Runnable|\\bint\\b|\\bdouble\\b|Double|Integer|ArrayList|LinkedHashMap");

    record Bad(String name, Class<?> type, String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badBodies() {
        return Stream.of(
                new Bad("wrong type for a record component", Flower.class, "{\"sepal_length\": true}"),
                new Bad("an object where an array is expected", Bouquet.class, "{\"flowers\": {}, \"count\": 1}"),
                new Bad("a string for a number", Bouquet.class, "{\"count\": \"many\"}"),
                new Bad("an unknown enum value", Bouquet.class, "{\"size\": \"HUGE\", \"count\": 1}"),
                new Bad("a missing required constructor parameter", Flower.class, "{\"petal_width\": 1}"),
                new Bad("null for a primitive", Bouquet.class, "{\"count\": null}"),
                new Bad("an array where an object is expected", Flower.class, "[5.1]"),
                new Bad("a string where an object is expected", Flower.class, "\"setosa\""),
                new Bad("an unknown field", Flower.class, "{\"sepal_length\": 1, \"colour\": \"blue\"}"),
                new Bad("an integer out of range", Bouquet.class, "{\"count\": 12345678901}"),
                new Bad("a duplicate key", Flower.class, "{\"sepal_length\": 1, \"sepal_length\": 2}"),
                new Bad("a value after the value", Flower.class, "{\"sepal_length\": 1} {}"),
                new Bad("malformed JSON", Flower.class, "{"),
                new Bad("a NaN token", Flower.class, "{\"sepal_length\": NaN}"),
                new Bad("a comment", Flower.class, "{\"sepal_length\": 1 /* cm */}"),
                new Bad(
                        "a number longer than Jackson reads",
                        Flower.class,
                        "{\"sepal_length\": 1" + "0".repeat(1000) + "}"),
                new Bad("a value the constructor refuses", Measured.class, "{\"sepal_length\": -1}"),
                new Bad("a string for an array of arrays", Rows.class, "{\"rows\": \"rows\"}"),
                new Bad("a number inside a list of arrays", Rows.class, "{\"more\": [1]}"),
                new Bad("a type no JSON can build", Unbindable.class, "{\"task\": {}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void noDetailNamesAJavaTypeOrPackage(Bad bad) {
        var problem = problemFor(bad.type(), bad.body());

        assertThat(problem.detail()).isNotBlank().doesNotContainPattern(JAVA_NAMES);
    }

    @Test
    void aFieldOfTheWrongTypeNamesTheFieldTheJsonItExpectsAndWhatCame() {
        var problem = problemFor(Bouquet.class, "{\"flowers\": [{\"sepal_length\": \"tall\"}], \"count\": 1}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.extensions()).containsEntry("field", "flowers[0].sepal_length");
        assertThat(problem.detail()).isEqualTo("field 'flowers[0].sepal_length' expects a number, got a string");
    }

    @Test
    void aStringOrNumberForAnArrayOfArraysIsTheCallersMistake() {
        // Jackson reports these as a type it cannot build, which for a class would be the service's fault (500)
        var problem = problemFor(Rows.class, "{\"rows\": \"rows\"}");
        var inner = problemFor(Rows.class, "{\"more\": [1]}");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).isEqualTo("field 'rows' expects an array, got a string");
        assertThat(inner.status()).isEqualTo(400);
        assertThat(inner.extensions()).containsEntry("field", "more[0]");
        assertThat(inner.detail()).startsWith("field 'more[0]' expects an array");
    }

    @Test
    void trueForANumberSaysSo() {
        var problem = problemFor(Flower.class, "{\"sepal_length\": true}");

        assertThat(problem.detail()).isEqualTo("field 'sepal_length' expects a number, got true or false");
    }

    @Test
    void anObjectWhereAnArrayIsExpectedSaysArray() {
        var problem = problemFor(Bouquet.class, "{\"flowers\": {}, \"count\": 1}");

        assertThat(problem.detail()).isEqualTo("field 'flowers' expects an array, got an object");
    }

    @Test
    void aStringForAnIntegerSaysInteger() {
        var problem = problemFor(Bouquet.class, "{\"count\": \"many\"}");

        assertThat(problem.extensions()).containsEntry("field", "count");
        assertThat(problem.detail()).isEqualTo("field 'count' expects an integer, got a string");
    }

    @Test
    void anUnknownEnumValueListsTheAcceptedOnes() {
        var problem = problemFor(Bouquet.class, "{\"size\": \"HUGE\", \"count\": 1}");

        assertThat(problem.extensions()).containsEntry("field", "size");
        assertThat(problem.detail()).isEqualTo("field 'size' expects one of: LARGE, SMALL");
    }

    @Test
    void aMissingRequiredFieldIsNamedAsMissing() {
        var problem = problemFor(Flower.class, "{\"petal_width\": 1}");

        assertThat(problem.extensions()).containsEntry("field", "sepal_length");
        assertThat(problem.detail()).isEqualTo("field 'sepal_length' is missing; it expects a number");
    }

    @Test
    void nullForAPrimitiveIsNamedAsMissingOrNull() {
        var problem = problemFor(Bouquet.class, "{\"count\": null}");

        assertThat(problem.detail()).isEqualTo("field 'count' is missing or null; it expects an integer");
    }

    @Test
    void anArrayBodyWhereAnObjectIsExpectedSaysSoWithoutAField() {
        var problem = problemFor(Flower.class, "[5.1]");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.extensions()).doesNotContainKey("field");
        assertThat(problem.detail()).isEqualTo("the request body must be an object, got an array");
    }

    @Test
    void anIntegerOutOfRangeSaysWhichRangeIsAllowed() {
        var problem = problemFor(Bouquet.class, "{\"count\": 12345678901}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.extensions()).containsEntry("field", "count");
        assertThat(problem.detail())
                .isEqualTo("field 'count' is out of range: it expects an integer from -2147483648 to 2147483647");
    }

    @Test
    void aDoubleOutOfRangeInsideAnUntypedValueNamesItsWholePath() throws IOException {
        // The parser's complaint, as flowhost's instance throws it for 1e400, where the mapper's path stops at "a".
        try (var parser = JSON.createParser("{\"a\": {\"b\": [1, 1e400]}}")) {
            var token = parser.nextToken();
            while (token != JsonToken.VALUE_NUMBER_FLOAT) {
                token = parser.nextToken();
            }
            var e = new InputCoercionException(parser, "out of range", token, Double.TYPE);

            var problem = BadInput.problem(e, "req-1");

            assertThat(problem.extensions()).containsEntry("field", "a.b[1]");
            assertThat(problem.detail())
                    .isEqualTo("field 'a.b[1]' is out of range: it expects a number from -1.7976931348623157E308 to "
                            + "1.7976931348623157E308");
        }
    }

    @Test
    void aDuplicateKeyIsNamedWithItsLineAndColumn() {
        var problem = problemFor(Flower.class, "{\"sepal_length\": 1,\n \"sepal_length\": 2}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.extensions())
                .containsEntry("field", "sepal_length")
                .containsEntry("line", 2)
                .containsEntry("column", 16);
        assertThat(problem.detail())
                .isEqualTo("field 'sepal_length' appears more than once in the request body (line 2, column 16): "
                        + "send each field once");
    }

    @Test
    void aDuplicateKeyInsideAnUntypedValueIsNamedByItsPath() {
        var problem = problemFor(Map.class, "{\"a\": {\"b\": 1, \"b\": 2}}");

        assertThat(problem.extensions()).containsEntry("field", "a.b");
        assertThat(problem.detail()).startsWith("field 'a.b' appears more than once");
    }

    @Test
    void malformedJsonKeepsJacksonsWordsAboutTheTextButNotItsSource() {
        var problem = problemFor(Flower.class, "{");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:malformed-json");
        assertThat(problem.extensions()).containsEntry("line", 1).containsEntry("column", 2);
        assertThat(problem.detail())
                .isEqualTo("the request body is not valid JSON: Unexpected end-of-input: expected close marker for "
                        + "Object (start marker at line 1, column 1) (line 1, column 2)");
    }

    @Test
    void aNonStandardTokenIsNamedWithoutJacksonsAdviceOnItsSettings() {
        var problem = problemFor(Flower.class, "{\"sepal_length\": NaN}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:malformed-json");
        assertThat(problem.detail())
                .isEqualTo("the request body is not valid JSON: Non-standard token 'NaN' (line 1, column 21)");
    }

    @Test
    void aValueAfterTheBodysValueIsMalformedJsonWithItsPlace() {
        var problem = problemFor(Flower.class, "{\"sepal_length\": 1} {}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:malformed-json");
        assertThat(problem.extensions()).containsEntry("line", 1).containsEntry("column", 21);
        assertThat(problem.detail()).startsWith("the request body goes on after its JSON value (line 1, column 21)");
    }

    @Test
    void aNumberTooLongToReadSaysTheLimit() {
        var problem = problemFor(Flower.class, "{\"sepal_length\": 1" + "0".repeat(1000) + "}");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail())
                .contains("Number value length (1001) exceeds the maximum allowed (1000)")
                .doesNotContain("from");
    }

    @Test
    void aValueTheConstructorRefusesKeepsTheReasonTheServiceGave() {
        var problem = problemFor(Measured.class, "{\"sepal_length\": -1}");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.detail())
                .isEqualTo("the request body was refused by the endpoint's input: sepal_length must be positive");
    }

    @Test
    void aTypeNoJsonCanBuildIsTheServicesFaultWithAnErrorIdNotTheCallers() {
        var problem = problemFor(Unbindable.class, "{\"task\": {}}");

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:internal");
        assertThat(problem.extensions().get("errorId")).isInstanceOf(String.class);
        assertThat(problem.detail()).contains("error id " + problem.extensions().get("errorId"));
    }

    private static Problem problemFor(Class<?> type, String body) {
        try {
            JSON.readerFor(type).readValue(body);
        } catch (JsonProcessingException e) {
            return BadInput.problem(e, "req-1");
        }
        throw new AssertionError("Jackson read without complaint: " + body);
    }
}
