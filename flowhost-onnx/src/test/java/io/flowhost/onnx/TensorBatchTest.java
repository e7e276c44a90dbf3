package io.flowhost.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorBatchTest {

    private static Map<String, Tensor> rows(float... values) {
        return Map.of("x", Tensor.fp32("x", new long[] {values.length / 2, 2}, values));
    }

    @Test
    void requestsStackAlongTheFirstDimensionAndOutputsSplitBackByTheirRows() {
        var a = rows(1, 2);
        var b = rows(3, 4, 5, 6);

        var stacked = TensorBatch.stack(List.of(a, b));
        assertThat(stacked.get("x").shape()).containsExactly(3, 2);
        assertThat(stacked.get("x").floats()).containsExactly(1, 2, 3, 4, 5, 6);

        var out = Map.of("y", Tensor.int64("y", new long[] {3}, new long[] {10, 20, 30}));
        var split = TensorBatch.split(out, new long[] {1, 2});
        assertThat(split.get(0).get("y").longs()).containsExactly(10);
        assertThat(split.get(1).get("y").longs()).containsExactly(20, 30);
        assertThat(split.get(1).get("y").shape()).containsExactly(2);
    }

    @Test
    void onlyRequestsOfTheSameInnerShapeTypeAndOutputsShareAKey() {
        var key = TensorBatch.key(rows(1, 2), List.of());
        assertThat(TensorBatch.key(rows(3, 4, 5, 6), List.of())).isEqualTo(key);
        assertThat(TensorBatch.key(Map.of("x", Tensor.fp32("x", new long[] {1, 3}, new float[] {1, 2, 3})), List.of()))
                .isNotEqualTo(key);
        assertThat(TensorBatch.key(rows(1, 2), List.of("y"))).isNotEqualTo(key);
        assertThat(TensorBatch.rows(Map.of("s", Tensor.fp32("s", new long[] {}, new float[] {1}))))
                .isEqualTo(-1);
    }

    @Test
    void anOutputThatDoesNotKeepOneRowPerInputRowCannotBeSplit() {
        var pooled = Map.of("y", Tensor.fp32("y", new long[] {1, 2}, new float[] {1, 2}));

        assertThatThrownBy(() -> TensorBatch.split(pooled, new long[] {1, 2}))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessageContaining("a batched model must answer one row per input row");
    }
}
