package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.TestPickles.decodeHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** numpy arrays and scalars, read without numpy from both numpy 1.x and 2.x pickles. */
class NumpyPickleTest {

    @Test
    void float64ScalarFromNumpy2() {
        // pickle.dumps(np.float64(0.5), protocol=4) with numpy 2.x: numpy._core.multiarray.scalar
        var scalar = decodeHex("8004956a000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c067363616c"
                + "61729493948c056e756d7079948c0564747970659493948c02663894898887945294284b038c013c944e4e4e4affffffff"
                + "4affffffff4b007494624308000000000000e03f94869452942e");

        assertThat(scalar).isEqualTo(new NumpyScalar("<f8", 0.5));
    }

    @Test
    void float64ScalarFromNumpy1InProtocol2() {
        // the same from numpy 1.x with protocol 2: GLOBAL numpy.core.multiarray scalar, raw bytes via _codecs
        var scalar = decodeHex("8002636e756d70792e636f72652e6d756c746961727261790a7363616c61720a7100636e756d70790a64"
                + "747970650a71015802000000663871028988877103527104284b0358010000003c71054e4e4e4affffffff4affffffff4b"
                + "0074710662635f636f646563730a656e636f64650a71075809000000000000000000c3a03f710858060000006c617469"
                + "6e31710986710a52710b86710c52710d2e");

        assertThat(scalar).isEqualTo(new NumpyScalar("<f8", 0.5));
    }

    @Test
    void float64ScalarFromNumpy1InProtocol4() {
        var scalar = decodeHex("80049569000000000000008c156e756d70792e636f72652e6d756c74696172726179948c067363616c61"
                + "729493948c056e756d7079948c0564747970659493948c02663894898887945294284b038c013c944e4e4e4affffffff4a"
                + "ffffffff4b007494624308000000000000e03f94869452942e");

        assertThat(scalar).isEqualTo(new NumpyScalar("<f8", 0.5));
    }

    @Test
    void int64ScalarFromNumpy1() {
        var scalar = decodeHex("8002636e756d70792e636f72652e6d756c746961727261790a7363616c61720a7100636e756d70790a64"
                + "747970650a71015802000000693871028988877103527104284b0358010000003c71054e4e4e4affffffff4affffffff4b"
                + "0074710662635f636f646563730a656e636f64650a71075810000000c3bdc3bfc3bfc3bfc3bfc3bfc3bfc3bf71085806"
                + "0000006c6174696e31710986710a52710b86710c52710d2e");

        assertThat(scalar).isEqualTo(new NumpyScalar("<i8", -3L));
    }

    @Test
    void smallFloat32Array() {
        // pickle.dumps(np.array([1.5, -2.0], dtype='f4'), protocol=4)
        var array = (NdArray) decodeHex("80049591000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c"
                + "0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294"
                + "284b014b02859468038c0564747970659493948c02663494898887945294284b038c013c944e4e4e4affffffff4affff"
                + "ffff4b007494628943080000c03f000000c0947494622e");

        assertThat(array.dtype()).isEqualTo("<f4");
        assertThat(array.shape()).containsExactly(2);
        assertThat(array.fortranOrder()).isFalse();
        assertThat(array.toDoubleArray()).containsExactly(1.5, -2.0);
        assertThat(PythonJson.toJson(array))
                .isEqualTo(TestPickles.json(
                        "{\"$type\":\"ndarray\",\"dtype\":\"float32\",\"shape\":[2],\"values\":[1.5,-2.0]}"));
    }

    @Test
    void smallInt64MatrixInBothMemoryOrders() {
        // pickle.dumps(np.array([[1, 2, 3], [4, 5, 6]], dtype='i8'), protocol=4), then np.asfortranarray of it
        String prefix = "800495bb000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e73"
                + "74727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b024b0386"
                + "9468038c0564747970659493948c02693894898887945294284b038c013c944e4e4e4affffffff4affffffff4b00749462";
        var rowMajor = (NdArray) decodeHex(prefix + "894330" + "0100000000000000020000000000000003000000000000000400"
                + "000000000000050000000000000006000000000000009474" + "94622e");
        var columnMajor = (NdArray) decodeHex(prefix + "884330" + "010000000000000004000000000000000200000000000000"
                + "0500000000000000030000000000000006000000000000009474" + "94622e");

        assertThat(rowMajor.shape()).containsExactly(2, 3);
        assertThat(rowMajor.toLongArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(columnMajor.fortranOrder()).isTrue();
        assertThat(columnMajor.toLongArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(columnMajor.getLong(3)).isEqualTo(4);
        assertThat(PythonJson.toJson(columnMajor)).isEqualTo(PythonJson.toJson(rowMajor));
    }

    @Test
    void bigEndianArraysAreSwappedToLittleEndianAsNumpyDoes() {
        var array = new NdArray(
                ">i4", new int[] {2}, false, new byte[] {0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE
                });

        assertThat(array.toLongArray()).containsExactly(1, -2);
        // pickle.dumps(np.array([1, 2], dtype='>i4'), protocol=4)
        var decoded = (NdArray) decodeHex("80049591000000000000008c166e756d70792e5f636f72652e6d756c7469617272617994"
                + "8c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b00859443016294879452"
                + "94284b014b02859468038c0564747970659493948c02693494898887945294284b038c013e944e4e4e4affffffff4aff"
                + "ffffff4b007494628943080000000100000002947494622e");
        assertThat(decoded.dtype()).isEqualTo("<i4");
        assertThat(decoded.toLongArray()).containsExactly(1, 2);
    }

    @Test
    void unsignedAndBooleanElementsReadAsPythonSeesThem() {
        var uint64 = new NdArray("<u8", new int[] {1}, false, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
        var bools = new NdArray("|b1", new int[] {2}, false, new byte[] {1, 0});

        assertThat(uint64.get(0)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(uint64.getDouble(0)).isEqualTo(1.8446744073709552E19);
        assertThatThrownBy(() -> uint64.getLong(0)).isInstanceOf(ArithmeticException.class);
        assertThat(bools.get(0)).isEqualTo(true);
        assertThat(bools.toLongArray()).containsExactly(1, 0);
    }

    @Test
    void arrayRecordRejectsDataThatDoesNotMatchItsShape() {
        assertThatThrownBy(() -> new NdArray("<f8", new int[] {2}, false, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> new NdArray("<U5", new int[] {1}, false, new byte[20]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported numpy dtype");
    }
}
