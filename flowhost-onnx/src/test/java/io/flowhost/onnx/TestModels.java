package io.flowhost.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The iris fixture and tiny hand-built ONNX models, each made for one kind of test. */
final class TestModels {
    // ONNX TensorProto.DataType numbers.
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int UINT32 = 12;

    private TestModels() {}

    /** The 328-byte iris classifier: features float[N,4] to probabilities float[N,3]. */
    static byte[] iris() {
        try (InputStream in = TestModels.class.getResourceAsStream("/iris.onnx")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Identity from x[N,2] to y[N,2] of one element type. */
    static byte[] identity(int elemType) {
        return model(
                graph().message(1, node("Identity", "x", "y"))
                        .message(11, tensorValue("x", elemType, "N", 2))
                        .message(12, tensorValue("y", elemType, "N", 2)),
                false);
    }

    /** Add of a[N,2] and b[N,2] into sum[N,2], so that both inputs share the dimension "N". */
    static byte[] add() {
        return model(
                graph().message(1, node("Add", "a", "b", "sum"))
                        .message(11, tensorValue("a", FLOAT, "N", 2))
                        .message(11, tensorValue("b", FLOAT, "N", 2))
                        .message(12, tensorValue("sum", FLOAT, "N", 2)),
                false);
    }

    /** x float[N,2] to a float copy and a UINT32 cast of it, an output type the Java API cannot read. */
    static byte[] withUint32Output() {
        Proto cast = node("Cast", "x", "asUint32")
                .message(5, new Proto().string(1, "to").varint(20, 2).varint(3, UINT32));
        return model(
                graph().message(1, node("Identity", "x", "copy"))
                        .message(1, cast)
                        .message(11, tensorValue("x", FLOAT, "N", 2))
                        .message(12, tensorValue("copy", FLOAT, "N", 2))
                        .message(12, tensorValue("asUint32", UINT32, "N", 2)),
                false);
    }

    /** probabilities float[N,3] to a copy and to a scikit-learn style ZipMap, a sequence of maps. */
    static byte[] withZipMapOutput() {
        Proto classLabels = new Proto()
                .string(1, "classlabels_int64s")
                .varint(20, 7)
                .varint(8, 0)
                .varint(8, 1)
                .varint(8, 2);
        Proto zipMap = node("ZipMap", "probabilities", "output_probability")
                .string(7, "ai.onnx.ml")
                .message(5, classLabels);
        Proto floatTensor = new Proto().message(1, new Proto().varint(1, FLOAT));
        Proto mapType = new Proto().message(5, new Proto().varint(1, INT64).message(2, floatTensor));
        Proto sequenceOfMaps = new Proto().message(4, new Proto().message(1, mapType));
        return model(
                graph().message(1, node("Identity", "probabilities", "copy"))
                        .message(1, zipMap)
                        .message(11, tensorValue("probabilities", FLOAT, "N", 3))
                        .message(12, tensorValue("copy", FLOAT, "N", 3))
                        .message(12, new Proto().string(1, "output_probability").message(2, sequenceOfMaps)),
                true);
    }

    private static Proto graph() {
        return new Proto().string(2, "test");
    }

    private static byte[] model(Proto graph, boolean mlDomain) {
        Proto model = new Proto()
                .varint(1, 8)
                .string(2, "flowhost-test")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13));
        if (mlDomain) {
            model.message(8, new Proto().string(1, "ai.onnx.ml").varint(2, 1));
        }
        return model.toByteArray();
    }

    private static Proto node(String opType, String... inputsThenOutput) {
        Proto node = new Proto();
        for (int i = 0; i < inputsThenOutput.length - 1; i++) {
            node.string(1, inputsThenOutput[i]);
        }
        return node.string(2, inputsThenOutput[inputsThenOutput.length - 1]).string(4, opType);
    }

    private static Proto tensorValue(String name, int elemType, String dynamicDim, long fixedDim) {
        Proto shape =
                new Proto().message(1, new Proto().string(2, dynamicDim)).message(1, new Proto().varint(1, fixedDim));
        Proto tensorType = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }
}
