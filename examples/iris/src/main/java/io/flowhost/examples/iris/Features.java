package io.flowhost.examples.iris;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One flower's four measurements, in centimetres. */
public record Features(
        @JsonProperty(value = "sepal_length", required = true)
        double sepalLength,

        @JsonProperty(value = "sepal_width", required = true)
        double sepalWidth,

        @JsonProperty(value = "petal_length", required = true)
        double petalLength,

        @JsonProperty(value = "petal_width", required = true)
        double petalWidth) {

    static final List<String> NAMES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    double[] toArray() {
        return new double[] {sepalLength, sepalWidth, petalLength, petalWidth};
    }
}
