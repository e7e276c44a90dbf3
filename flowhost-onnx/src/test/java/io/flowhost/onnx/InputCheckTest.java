package io.flowhost.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InputCheckTest {
    private static OnnxModel iris;
    private static OnnxModel add;

    @BeforeAll
    static void load() {
        iris = OnnxModel.load(TestModels.iris());
        add = OnnxModel.load(TestModels.add());
    }

    @AfterAll
    static void close() {
        iris.close();
        add.close();
    }

    @Test
    void aMissingInputIsNamedWithTheInputsTheModelNeeds() {
        assertThatThrownBy(() -> add.infer(Map.of("a", twoByTwo("a"))))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'b' is missing; the model's inputs are [a, b]");
    }

    @Test
    void anUnknownInputIsNamedWithTheInputsTheModelHas() {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("features", Tensor.fp32("features", new long[] {1, 4}, new float[4]));
        inputs.put("extra", Tensor.fp32("extra", new long[] {1}, new float[1]));

        assertThatThrownBy(() -> iris.infer(inputs))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'extra' is not an input of this model; its inputs are [features]");
    }

    @Test
    void aWrongDatatypeSaysWhichTheModelWants() {
        Tensor doubles = Tensor.fp64("features", new long[] {1, 4}, new double[4]);

        assertThatThrownBy(() -> iris.infer(Map.of("features", doubles)))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'features': datatype FP64 does not fit the model's FP32");
    }

    @Test
    void aWrongRankShowsBothShapes() {
        Tensor flat = Tensor.fp32("features", new long[] {4}, new float[4]);

        assertThatThrownBy(() -> iris.infer(Map.of("features", flat)))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'features': shape [4] does not fit the model's [-1, 4] (1 dimension, expected 2)");
    }

    @Test
    void aFixedDimensionThatDiffersShowsBothShapes() {
        Tensor fiveFeatures = Tensor.fp32("features", new long[] {1, 5}, new float[5]);

        assertThatThrownBy(() -> iris.infer(Map.of("features", fiveFeatures)))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'features': shape [1, 5] does not fit the model's [-1, 4]"
                        + " (dimension 1 is 5, expected 4)");
    }

    @Test
    void dataThatDoNotFillTheShapeAreRefusedWhenTheTensorIsMade() {
        assertThatThrownBy(() -> Tensor.fp32("features", new long[] {2, 4}, new float[7]))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'features': shape [2, 4] needs 8 values, got 7");
    }

    @Test
    void aTensorFiledUnderAnotherInputsNameIsRefused() {
        Tensor misnamed = Tensor.fp32("rows", new long[] {1, 4}, new float[4]);

        assertThatThrownBy(() -> iris.infer(Map.of("features", misnamed)))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'features' is given a tensor named 'rows'");
    }

    @Test
    void inputsThatShareANamedDimensionMustAgreeOnIt() {
        Map<String, Tensor> inputs = Map.of(
                "a", twoByTwo("a"),
                "b", Tensor.fp32("b", new long[] {1, 2}, new float[] {1, 1}));

        assertThatThrownBy(() -> add.infer(inputs))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("input 'b': dimension 0 is 1, but input 'a' gave the model's dimension 'N' as 2");
    }

    @Test
    void inputsThatAgreeOnTheirSharedDimensionRun() {
        Map<String, Tensor> outputs = add.infer(Map.of("a", twoByTwo("a"), "b", twoByTwo("b")));

        assertThat(outputs.get("sum").floats()).containsExactly(2, 4, 6, 8);
    }

    @Test
    void theMismatchIsCaughtBeforeOnnxRuntimeSoItsMessageIsOurs() {
        Tensor fiveFeatures = Tensor.fp32("features", new long[] {1, 5}, new float[5]);

        assertThatThrownBy(() -> iris.infer(Map.of("features", fiveFeatures)))
                .isNotInstanceOf(OnnxModelException.class)
                .isInstanceOf(InvalidInputException.class)
                .hasNoCause();
    }

    private static Tensor twoByTwo(String name) {
        return Tensor.fp32(name, new long[] {2, 2}, new float[] {1, 2, 3, 4});
    }
}
