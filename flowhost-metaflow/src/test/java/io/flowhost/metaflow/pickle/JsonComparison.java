package io.flowhost.metaflow.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;

/**
 * Compares tagged JSON the way the fixtures mean it: same structure and object key order; floats by exact
 * double value (and only against floats), integers by exact value (and only against integers).
 */
final class JsonComparison {

    private JsonComparison() {}

    static void assertSameJson(JsonNode expected, JsonNode actual) {
        compare(expected, actual, "$");
    }

    private static void compare(JsonNode expected, JsonNode actual, String path) {
        if (expected.isNumber()) {
            assertThat(actual.isNumber()).as("%s is a number: %s", path, actual).isTrue();
            if (expected.isFloatingPointNumber()) {
                assertThat(actual.isFloatingPointNumber())
                        .as("%s is a float: %s", path, actual)
                        .isTrue();
                assertThat(Double.compare(expected.doubleValue(), actual.doubleValue()))
                        .as("%s: expected %s, got %s", path, expected, actual)
                        .isZero();
            } else {
                assertThat(actual.isIntegralNumber())
                        .as("%s is an integer: %s", path, actual)
                        .isTrue();
                assertThat(actual.bigIntegerValue()).as(path).isEqualTo(expected.bigIntegerValue());
            }
            return;
        }
        assertThat(actual.getNodeType())
                .as("%s: expected %s, got %s", path, expected, actual)
                .isEqualTo(expected.getNodeType());
        if (expected.isArray()) {
            assertThat(actual.size()).as("%s: length", path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isObject()) {
            var expectedKeys = new ArrayList<String>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            var actualKeys = new ArrayList<String>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            assertThat(actualKeys).as("%s: keys in order", path).isEqualTo(expectedKeys);
            for (var key : expectedKeys) {
                compare(expected.get(key), actual.get(key), path + "." + key);
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
