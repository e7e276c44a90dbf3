package io.flowhost.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {

    @Test
    void garbageBytesFailWithAClearMessage() {
        byte[] garbage = "this is not an ONNX model".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OnnxModel.load(garbage))
                .isInstanceOf(OnnxModelException.class)
                .hasMessage("cannot load the ONNX model (25 bytes): Failed to load model because protobuf parsing"
                        + " failed.");
    }

    @Test
    void noBytesFailWithAClearMessage() {
        assertThatThrownBy(() -> OnnxModel.load(new byte[0]))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageStartingWith("cannot load the ONNX model (0 bytes): ")
                .hasMessageContaining("zero length");
    }

    @Test
    void aMissingFileFailsNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.onnx");

        assertThatThrownBy(() -> OnnxModel.load(missing))
                .isInstanceOf(OnnxModelException.class)
                .hasMessage("cannot load the ONNX model " + missing + ": no such file");
    }

    @Test
    void aDirectoryFailsNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> OnnxModel.load(dir))
                .isInstanceOf(OnnxModelException.class)
                .hasMessage("cannot load the ONNX model " + dir + ": not a readable file");
    }

    @Test
    void aModelWhoseInputJavaCannotFeedFailsNamingTheInput() {
        assertThatThrownBy(() -> OnnxModel.load(TestModels.identity(TestModels.UINT32)))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageStartingWith("cannot serve the ONNX model (")
                .hasMessageContaining("the model's input 'x' is a tensor of UINT32, which flowhost cannot feed");
    }

    @Test
    void anOutputJavaCannotReadIsLeftOutAndExplainedWhenAskedFor() {
        try (OnnxModel model = OnnxModel.load(TestModels.withUint32Output())) {
            Map<String, Tensor> inputs = Map.of("x", Tensor.fp32("x", new long[] {1, 2}, new float[] {1, 2}));

            assertThat(model.outputs()).extracting(TensorSpec::name).containsExactly("copy");
            assertThat(model.infer(inputs)).containsOnlyKeys("copy");
            assertThatThrownBy(() -> model.infer(inputs, List.of("asUint32")))
                    .isInstanceOf(TensorMismatchException.class)
                    .hasMessageStartingWith("output 'asUint32' is a tensor of UINT32, which flowhost cannot serve");
        }
    }

    @Test
    void aScikitLearnStyleZipMapOutputIsLeftOutWhileTheTensorOutputsServe() {
        try (OnnxModel model = OnnxModel.load(TestModels.withZipMapOutput())) {
            Tensor probabilities = Tensor.fp32("probabilities", new long[] {1, 3}, new float[] {0.2f, 0.3f, 0.5f});

            assertThat(model.outputs()).containsExactly(new TensorSpec("copy", "FP32", new long[] {-1, 3}));
            assertThat(model.infer(Map.of("probabilities", probabilities))
                            .get("copy")
                            .floats())
                    .containsExactly(0.2f, 0.3f, 0.5f);
            assertThatThrownBy(() -> model.infer(Map.of("probabilities", probabilities), List.of("output_probability")))
                    .isInstanceOf(TensorMismatchException.class)
                    .hasMessageStartingWith("output 'output_probability' is not a tensor but ");
        }
    }

    @Test
    void aClosedModelRefusesToRun() {
        OnnxModel model = OnnxModel.load(TestModels.iris());
        model.close();

        assertThatThrownBy(() -> model.predict(IrisExpectations.SAMPLE_ROWS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void predictOnAModelThatIsNotOneMatrixInOneMatrixOutFailsClearly() {
        try (OnnxModel model = OnnxModel.load(TestModels.add())) {
            assertThatThrownBy(() -> model.predict(new float[][] {{1, 2}}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("predict(float[][]) needs a model with one FP32 input and one FP32 output, both of two"
                            + " dimensions; this model has inputs [a FP32 [-1, 2], b FP32 [-1, 2]]"
                            + " and outputs [sum FP32 [-1, 2]]");
        }
    }
}
