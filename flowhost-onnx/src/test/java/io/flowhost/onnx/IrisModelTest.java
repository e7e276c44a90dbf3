package io.flowhost.onnx;

import static io.flowhost.onnx.IrisExpectations.EXPECTED_ARGMAX;
import static io.flowhost.onnx.IrisExpectations.EXPECTED_PROBABILITIES;
import static io.flowhost.onnx.IrisExpectations.SAMPLE_ROWS;
import static io.flowhost.onnx.IrisExpectations.TOLERANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisModelTest {
    private static OnnxModel model;

    @BeforeAll
    static void load() {
        model = OnnxModel.load(TestModels.iris());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theIrisModelTakesFp32FeaturesOfAnyBatchByFour() {
        assertThat(model.inputs()).containsExactly(new TensorSpec("features", "FP32", new long[] {-1, 4}));
    }

    @Test
    void theIrisModelGivesFp32ProbabilitiesOfAnyBatchByThree() {
        assertThat(model.outputs()).containsExactly(new TensorSpec("probabilities", "FP32", new long[] {-1, 3}));
    }

    @Test
    void theThreeSampleRowsAsOneBatchGiveTheExpectedProbabilities() {
        Map<String, Tensor> outputs = model.infer(Map.of("features", Tensor.fp32("features", SAMPLE_ROWS)));

        Tensor probabilities = outputs.get("probabilities");
        assertThat(outputs).containsOnlyKeys("probabilities");
        assertThat(probabilities.datatype()).isEqualTo("FP32");
        assertThat(probabilities.shape()).containsExactly(3, 3);
        assertCloseToExpected(probabilities.asFloatMatrix(), 0);
    }

    @Test
    void eachSampleRowAloneGivesItsExpectedProbabilities() {
        for (int row = 0; row < SAMPLE_ROWS.length; row++) {
            Tensor one = Tensor.fp32("features", new long[] {1, 4}, SAMPLE_ROWS[row]);

            float[][] probabilities =
                    model.infer(Map.of("features", one)).get("probabilities").asFloatMatrix();

            assertThat(probabilities).hasDimensions(1, 3);
            assertCloseToExpected(probabilities, row);
        }
    }

    @Test
    void eachSampleRowIsClassifiedAsItsExpectedClass() {
        float[][] probabilities = model.predict(SAMPLE_ROWS);

        for (int row = 0; row < SAMPLE_ROWS.length; row++) {
            assertThat(IrisExpectations.argmax(probabilities[row]))
                    .as("row %d", row)
                    .isEqualTo(EXPECTED_ARGMAX[row]);
        }
    }

    @Test
    void predictGivesTheSameProbabilitiesAsInfer() {
        float[][] predicted = model.predict(SAMPLE_ROWS);

        assertThat(predicted)
                .isDeepEqualTo(model.infer(Map.of("features", Tensor.fp32("features", SAMPLE_ROWS)))
                        .get("probabilities")
                        .asFloatMatrix());
        assertCloseToExpected(predicted, 0);
    }

    @Test
    void predictOfNoRowsGivesNoRows() {
        assertThat(model.predict(new float[0][])).isEmpty();
    }

    @Test
    void inferReturnsTheOutputsAskedForByName() {
        Map<String, Tensor> outputs =
                model.infer(Map.of("features", Tensor.fp32("features", SAMPLE_ROWS)), List.of("probabilities"));

        assertThat(outputs).containsOnlyKeys("probabilities");
    }

    @Test
    void askingForAnOutputTheModelDoesNotHaveFailsNamingItsOutputs() {
        assertThatThrownBy(
                        () -> model.infer(Map.of("features", Tensor.fp32("features", SAMPLE_ROWS)), List.of("label")))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("output 'label' is not an output of this model; its outputs are [probabilities]");
    }

    @Test
    void aModelLoadedFromAFileGivesTheSameProbabilities(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("iris.onnx"), TestModels.iris());

        try (OnnxModel fromFile = OnnxModel.load(file)) {
            assertCloseToExpected(fromFile.predict(SAMPLE_ROWS), 0);
        }
    }

    private static void assertCloseToExpected(float[][] probabilities, int firstRow) {
        for (int r = 0; r < probabilities.length; r++) {
            float[] expected = EXPECTED_PROBABILITIES[firstRow + r];
            for (int c = 0; c < expected.length; c++) {
                assertThat(probabilities[r][c])
                        .as("row %d class %d", firstRow + r, c)
                        .isCloseTo(expected[c], within(TOLERANCE));
            }
        }
    }
}
