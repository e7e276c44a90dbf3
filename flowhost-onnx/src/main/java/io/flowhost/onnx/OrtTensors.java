package io.flowhost.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Converts between flowhost tensors and ONNX Runtime tensors; every OnnxTensor made here belongs to the caller. */
final class OrtTensors {
    private OrtTensors() {}

    /** Copies a tensor into a new native ONNX Runtime tensor, which the caller must close. */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (Datatype.valueOf(tensor.datatype())) {
            case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor.floats()), shape);
            case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(tensor.doubles()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(tensor.longs()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(tensor.ints()), shape);
            case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap(tensor.shorts()), shape);
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(tensor.bytes()), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(tensor.bytes()), shape, OnnxJavaType.UINT8);
            case BOOL ->
                OnnxTensor.createTensor(env, ByteBuffer.wrap(boolBytes(tensor.booleans())), shape, OnnxJavaType.BOOL);
            case FP16 ->
                OnnxTensor.createTensor(env, ShortBuffer.wrap(halves(tensor.floats())), shape, OnnxJavaType.FLOAT16);
            case BYTES -> OnnxTensor.createTensor(env, tensor.strings(), shape);
            // The Tensor constructor already refuses these, so reaching here is a bug, not bad input.
            case UINT16, UINT32, UINT64 -> throw new IllegalStateException("unsupported " + tensor.datatype());
        };
    }

    /** Copies a native ONNX Runtime tensor of the given datatype into a flowhost tensor. */
    static Tensor fromOrt(String name, Datatype datatype, OnnxTensor tensor) throws OrtException {
        long[] shape = tensor.getInfo().getShape();
        Object data = switch (datatype) {
            // The get*Buffer methods return copies positioned at 0, so reading them whole is safe.
            case FP32 -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case FP64 -> {
                DoubleBuffer buffer = tensor.getDoubleBuffer();
                double[] values = new double[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                long[] values = new long[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                int[] values = new int[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case INT16 -> {
                ShortBuffer buffer = tensor.getShortBuffer();
                short[] values = new short[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case INT8, UINT8 -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                byte[] values = new byte[buffer.remaining()];
                buffer.get(values);
                yield values;
            }
            case BOOL -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                boolean[] values = new boolean[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.get(i) != 0;
                }
                yield values;
            }
            case FP16 -> {
                ShortBuffer buffer = tensor.getShortBuffer();
                float[] values = new float[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.float16ToFloat(buffer.get(i));
                }
                yield values;
            }
            // String tensors have no flat buffer in the Java API: getValue gives nested String arrays of the rank.
            case BYTES -> flattenStrings(tensor.getValue(), Math.toIntExact(Shapes.elementCount(shape)));
            case UINT16, UINT32, UINT64 ->
                throw new OnnxModelException(
                        "output '" + name + "' is " + datatype + ", which ONNX Runtime's Java API cannot read");
        };
        return new Tensor(name, datatype.name(), shape, data);
    }

    private static byte[] boolBytes(boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return bytes;
    }

    private static short[] halves(float[] values) {
        short[] halves = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            halves[i] = Float.floatToFloat16(values[i]);
        }
        return halves;
    }

    private static String[] flattenStrings(Object nested, int count) {
        String[] flat = new String[count];
        int filled = flattenInto(nested, flat, 0);
        if (filled != count) {
            throw new IllegalStateException("string tensor gave " + filled + " values for " + count + " elements");
        }
        return flat;
    }

    private static int flattenInto(Object nested, String[] flat, int at) {
        if (nested instanceof String value) {
            flat[at] = value;
            return at + 1;
        }
        int next = at;
        for (int i = 0; i < Array.getLength(nested); i++) {
            next = flattenInto(Array.get(nested, i), flat, next);
        }
        return next;
    }
}
