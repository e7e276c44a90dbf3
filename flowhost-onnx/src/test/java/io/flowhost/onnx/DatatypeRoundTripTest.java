package io.flowhost.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatatypeRoundTripTest {
    private static final long[] SHAPE = {2, 2};

    static Stream<Arguments> everySupportedDatatype() {
        return Stream.of(
                Arguments.of(TestModels.FLOAT, Tensor.fp32("x", SHAPE, new float[] {0.1f, -2.5f, 3e38f, 1e-45f})),
                // Values exactly representable in half precision, so that the round trip is exact.
                Arguments.of(
                        TestModels.FLOAT16, Tensor.fp16("x", SHAPE, new float[] {0.5f, -2f, 65504f, 0.099975586f})),
                Arguments.of(TestModels.DOUBLE, Tensor.fp64("x", SHAPE, new double[] {0.1, -2.5, 1e300, 5e-324})),
                Arguments.of(
                        TestModels.INT64, Tensor.int64("x", SHAPE, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE})),
                Arguments.of(
                        TestModels.INT32,
                        Tensor.int32("x", SHAPE, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE})),
                Arguments.of(
                        TestModels.INT16,
                        Tensor.int16("x", SHAPE, new short[] {Short.MIN_VALUE, -1, 0, Short.MAX_VALUE})),
                Arguments.of(TestModels.INT8, Tensor.int8("x", SHAPE, new byte[] {-128, -1, 0, 127})),
                Arguments.of(TestModels.UINT8, Tensor.uint8("x", SHAPE, new byte[] {0, 1, (byte) 200, (byte) 255})),
                Arguments.of(TestModels.BOOL, Tensor.bool("x", SHAPE, new boolean[] {true, false, false, true})),
                Arguments.of(TestModels.STRING, Tensor.bytes("x", SHAPE, new String[] {"a", "", "grüße", "z z"})));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everySupportedDatatype")
    void aTensorOfEverySupportedDatatypeComesBackFromAnIdentityModelUnchanged(int onnxType, Tensor x) {
        try (OnnxModel model = OnnxModel.load(TestModels.identity(onnxType))) {
            Tensor y = model.infer(Map.of("x", x)).get("y");

            assertThat(model.inputs().get(0).datatype()).isEqualTo(x.datatype());
            assertThat(y).isEqualTo(new Tensor("y", x.datatype(), x.shape(), x.data()));
        }
    }
}
