package io.flowhost.onnx;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tensor element types of the Open Inference Protocol (KServe v2), each named exactly as the protocol spells it.
 */
public enum Datatype {
    BOOL(boolean[].class),
    UINT8(byte[].class),
    UINT16(null),
    UINT32(null),
    UINT64(null),
    INT8(byte[].class),
    INT16(short[].class),
    INT32(int[].class),
    INT64(long[].class),
    // Java has no half-precision array, so FP16 values travel as float[] and are narrowed only at ONNX Runtime's door.
    FP16(float[].class),
    FP32(float[].class),
    FP64(double[].class),
    BYTES(String[].class);

    // ONNX Runtime's Java API cannot create unsigned 16/32/64-bit tensors, so those types have no array here.
    private final Class<?> arrayType;

    Datatype(Class<?> arrayType) {
        this.arrayType = arrayType;
    }

    /** Returns the Java array class that holds this type's values, or fails naming {@code tensor} if none can. */
    Class<?> arrayType(String tensor) {
        if (arrayType == null) {
            throw new TensorMismatchException("tensor '" + tensor + "': datatype " + this
                    + " is not supported (ONNX Runtime's Java API has no " + this + " tensors); supported are "
                    + supportedNames());
        }
        return arrayType;
    }

    /** Tells whether tensors of this type can be built, fed to a model and read back. */
    public boolean isSupported() {
        return arrayType != null;
    }

    /** Returns the datatype with the given protocol name, or empty if the protocol has no such datatype. */
    public static Optional<Datatype> find(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
    }

    /** Returns the datatype with the given protocol name, or fails with a TensorMismatchException naming the tensor. */
    public static Datatype named(String name, String tensor) {
        return find(name)
                .orElseThrow(() -> new TensorMismatchException("tensor '" + tensor + "': unknown datatype '" + name
                        + "'; the Open Inference Protocol's datatypes are " + Arrays.toString(values())));
    }

    /** Lists the datatypes that can be carried, for messages such as "supported are [BOOL, UINT8, ...]". */
    public static String supportedNames() {
        return Arrays.stream(values())
                .filter(Datatype::isSupported)
                .map(Enum::name)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
