package io.flowhost.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void tensorsWithEqualContentsAreEqualAndHashAlike() {
        Tensor one = Tensor.fp32("x", new long[] {1, 2}, new float[] {1, 2});
        Tensor same = Tensor.fp32("x", new long[] {1, 2}, new float[] {1, 2});

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
    }

    @Test
    void tensorsDifferingInAValueOrTheShapeAreNotEqual() {
        Tensor one = Tensor.fp32("x", new long[] {1, 2}, new float[] {1, 2});

        assertThat(one).isNotEqualTo(Tensor.fp32("x", new long[] {1, 2}, new float[] {1, 3}));
        assertThat(one).isNotEqualTo(Tensor.fp32("x", new long[] {2, 1}, new float[] {1, 2}));
        assertThat(one).isNotEqualTo(Tensor.fp16("x", new long[] {1, 2}, new float[] {1, 2}));
    }

    @Test
    void toStringShowsTheValuesAndCutsLongDataShort() {
        assertThat(Tensor.int64("n", new long[] {2}, new long[] {7, 8}))
                .hasToString("Tensor[name=n, datatype=INT64, shape=[2], data=[7, 8]]");
        assertThat(Tensor.fp32("x", new long[] {100}, new float[100]).toString())
                .endsWith("0.0, ... 100 values]]");
    }

    @Test
    void theShapeCannotBeChangedFromOutside() {
        long[] shape = {1, 2};
        Tensor tensor = Tensor.fp32("x", shape, new float[2]);
        shape[0] = 9;
        tensor.shape()[1] = 9;

        assertThat(tensor.shape()).containsExactly(1, 2);
    }

    @Test
    void aScalarHasAnEmptyShapeAndOneValue() {
        assertThat(Tensor.fp64("s", new long[0], new double[] {4.2}).size()).isEqualTo(1);
    }

    @Test
    void dataOfTheWrongArrayTypeAreRefused() {
        assertThatThrownBy(() -> new Tensor("x", "FP32", new long[] {2}, new double[2]))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'x': FP32 data must be a float[], got a double[]");
    }

    @Test
    void aNegativeDimensionIsRefused() {
        assertThatThrownBy(() -> Tensor.fp32("x", new long[] {-1, 4}, new float[4]))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'x': shape [-1, 4] has a negative dimension; a tensor's shape must be concrete");
    }

    @Test
    void anUnknownDatatypeIsRefusedListingTheProtocolsDatatypes() {
        assertThatThrownBy(() -> new Tensor("x", "FLOAT", new long[] {1}, new float[1]))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'x': unknown datatype 'FLOAT'; the Open Inference Protocol's datatypes are [BOOL,"
                        + " UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES]");
    }

    @Test
    void anUnsupportedDatatypeIsRefusedListingTheSupportedOnes() {
        assertThatThrownBy(() -> new Tensor("x", "UINT32", new long[] {1}, new int[1]))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'x': datatype UINT32 is not supported (ONNX Runtime's Java API has no UINT32"
                        + " tensors); supported are [BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES]");
    }

    @Test
    void aNullStringIsRefused() {
        assertThatThrownBy(() -> Tensor.bytes("s", new long[] {2}, new String[] {"a", null}))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 's': BYTES value 1 is null");
    }

    @Test
    void rowsBecomeAFlatRowMajorMatrixAndReadBackAsRows() {
        float[][] rows = {{1, 2, 3}, {4, 5, 6}};
        Tensor tensor = Tensor.fp32("x", rows);

        assertThat(tensor.shape()).containsExactly(2, 3);
        assertThat(tensor.floats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(tensor.asFloatMatrix()).isDeepEqualTo(rows);
    }

    @Test
    void raggedRowsAreRefused() {
        assertThatThrownBy(() -> Tensor.fp32("x", new float[][] {{1, 2}, {3}}))
                .isInstanceOf(TensorMismatchException.class)
                .hasMessage("tensor 'x': row 1 has length 1, but row 0 has length 2");
    }

    @Test
    void readingDataAsTheWrongTypeSaysWhatTheTensorHolds() {
        assertThatThrownBy(
                        () -> Tensor.int64("n", new long[] {1}, new long[] {1}).floats())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor 'n' is INT64, whose data is a long[], not a float[]");
    }
}
