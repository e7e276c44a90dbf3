package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.JsonComparison.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pickles written by CPython 3.11 and numpy 2.x (and numpy 1.x module names) for protocols 0-5, with the tagged
 * JSON a Python reference encoder gives them; see {@code pickle-cases/generate.py}, which wrote {@code cases.json}.
 */
class PickleCasesTest {

    private static final JsonNode CASES = TestPickles.resourceJson("/pickle-cases/cases.json");

    static Stream<Arguments> values() {
        return rows(
                "cases",
                c -> c.has("expected"),
                c -> Arguments.of(c.get("name").asText(), c.get("pickle").asText(), c.get("expected")));
    }

    static Stream<Arguments> refusals() {
        return rows(
                "cases",
                c -> c.has("error"),
                c -> Arguments.of(
                        c.get("name").asText(),
                        c.get("pickle").asText(),
                        c.get("error").get("python_type").asText()));
    }

    static Stream<Arguments> floatReprs() {
        return rows(
                "float_reprs",
                c -> true,
                c -> Arguments.of(c.get(1).asText(), c.get(0).asText()));
    }

    static Stream<Arguments> strReprs() {
        return rows(
                "str_reprs",
                c -> true,
                c -> Arguments.of(c.get(1).asText(), c.get(0).asText()));
    }

    static Stream<Arguments> bytesReprs() {
        return rows(
                "bytes_reprs",
                c -> true,
                c -> Arguments.of(c.get(1).asText(), c.get(0).asText()));
    }

    /** The hex of the case with this name, e.g. {@code "shared references (protocol 4)"}. */
    static String pickleNamed(String name) {
        for (var c : CASES.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("pickle").asText();
            }
        }
        throw new IllegalArgumentException("no case named " + name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void decodesToTheSameTaggedJsonAsPython(String name, String pickleHex, JsonNode expected) {
        assertSameJson(expected, PythonJson.toJson(TestPickles.decodeHex(pickleHex)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatItCannotRepresentNamingThePythonType(String name, String pickleHex, String pythonType) {
        assertThatThrownBy(() -> TestPickles.decodeHex(pickleHex))
                .isInstanceOfSatisfying(
                        UnsupportedPickleException.class,
                        e -> assertThat(e.pythonType()).contains(pythonType));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floatReprs")
    void floatReprMatchesPython(String repr, String bitsHex) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bitsHex, 16));
        assertThat(PythonRepr.ofFloat(value)).isEqualTo(repr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strReprs")
    void strReprMatchesPython(String repr, String utf8Hex) {
        byte[] utf8 = TestPickles.hex(utf8Hex);
        assertThat(PythonRepr.ofStr(Utf8.decode(utf8, 0, utf8.length))).isEqualTo(repr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bytesReprs")
    void bytesReprMatchesPython(String repr, String bytesHex) {
        assertThat(PythonRepr.ofBytes(TestPickles.hex(bytesHex))).isEqualTo(repr);
    }

    private static Stream<Arguments> rows(String field, Predicate<JsonNode> filter, Function<JsonNode, Arguments> row) {
        var rows = new ArrayList<Arguments>();
        CASES.get(field).forEach(c -> {
            if (filter.test(c)) {
                rows.add(row.apply(c));
            }
        });
        return rows.stream();
    }
}
