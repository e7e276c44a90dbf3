package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.v2.InferenceRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One batch of requests to the real iris model: stacked where they can be, each answered as if it ran alone. */
class ModelBatchesTest {

    private static final float[][] ROWS = {{5.1f, 3.5f, 1.4f, 0.2f}, {7.0f, 3.2f, 4.7f, 1.4f}, {6.3f, 3.3f, 6.0f, 2.5f}
    };

    private static InferenceRequest request(List<String> outputs, int... rows) {
        var data = new float[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(ROWS[rows[i]], 0, data, i * 4, 4);
        }
        return new InferenceRequest(
                null, null, Map.of("features", Tensor.fp32("features", new long[] {rows.length, 4}, data)), outputs);
    }

    @Test
    void requestsOfOneShapeAreStackedAndEachGetsTheAnswerItWouldAlone() throws Exception {
        try (var model = OnnxModel.load(
                Path.of(ModelBatchesTest.class.getResource("/iris.onnx").toURI()))) {
            var requests = new ArrayList<Object>(List.of(
                    request(List.of(), 0),
                    request(List.of(), 1, 2),
                    request(List.of("probabilities"), 2),
                    request(List.of(), 2, 0, 1)));

            var answers = ModelBatches.run(model, requests);

            assertThat(answers).hasSize(4);
            for (int i = 0; i < requests.size(); i++) {
                var alone = (InferenceRequest) requests.get(i);
                var expected = model.infer(alone.inputs(), alone.outputs())
                        .get("probabilities")
                        .floats();
                @SuppressWarnings("unchecked")
                var got = ((Map<String, Tensor>) answers.get(i)).get("probabilities");
                assertThat(got.shape()[0])
                        .isEqualTo(alone.inputs().get("features").shape()[0]);
                var values = got.floats();
                assertThat(values).hasSameSizeAs(expected);
                for (int k = 0; k < values.length; k++) {
                    assertThat(values[k]).isCloseTo(expected[k], within(1e-6f));
                }
            }
        }
    }
}
