package io.flowhost.metaflow.pickle;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * numpy's pickle format, read without numpy: {@code dtype(...)} + BUILD(state), {@code _reconstruct(ndarray,
 * (0,), b'b')} + BUILD((version, shape, dtype, is_fortran, raw)), {@code scalar(dtype, raw)} and protocol 5's
 * {@code _frombuffer(raw, dtype, shape, order)}. Module names of numpy 1.x ({@code numpy.core}) and 2.x
 * ({@code numpy._core}) both arrive here.
 */
final class Numpy {

    private Numpy() {}

    /** {@code callable(*args)} for the numpy functions and classes of the whitelist. */
    static Object call(PyGlobal callable, List<Object> args, PickleInput in) {
        return switch (callable) {
            case NUMPY_DTYPE -> {
                if (args.isEmpty() || args.size() > 3 || !(args.get(0) instanceof String typeCode)) {
                    throw badArguments(callable, in);
                }
                yield new NumpyDType(typeCode);
            }
            case NUMPY_RECONSTRUCT -> {
                if (args.isEmpty() || args.get(0) != PyGlobal.NUMPY_NDARRAY) {
                    throw badArguments(callable, in);
                }
                yield new ArrayBuilder();
            }
            case NUMPY_SCALAR -> scalar(args, in);
            case NUMPY_FROMBUFFER -> fromBuffer(args, in);
            default ->
                throw in.unsupported(
                        callable.qualifiedName(), "calling " + callable.qualifiedName() + " directly is not supported");
        };
    }

    /** BUILD on a dtype: the state tuple {@code (version, byte order, subarray, names, fields, ...)}. */
    static void setDTypeState(NumpyDType dtype, Object state, PickleInput in) {
        List<Object> items = state instanceof PyTuple tuple ? tuple.items() : null;
        if (items == null || items.size() < 5 || items.size() > 9) {
            throw in.corrupt("numpy dtype state must be a tuple of 5 to 9 items");
        }
        // numpy's arraydescr_setstate: 5 items = version 0 without a version field; 6 items have no names.
        int base = items.size() == 5 ? 0 : 1;
        Object byteOrder = items.get(base);
        Object subarray = items.get(base + 1);
        Object fields = items.get(items.size() <= 6 ? base + 2 : base + 3);
        if (subarray != null || fields != null) {
            throw in.unsupported("numpy.dtype", "structured or sub-array numpy dtypes are not supported");
        }
        if (!(byteOrder instanceof String order) || order.length() != 1 || "<>|=".indexOf(order.charAt(0)) < 0) {
            throw in.corrupt("numpy dtype byte order must be one of '<', '>', '|', '='; found " + byteOrder);
        }
        dtype.setByteOrder(order.charAt(0));
    }

    /** BUILD on an array: {@code (version, shape, dtype, is_fortran, raw)}, or without version for version 0. */
    static void setArrayState(ArrayBuilder array, Object state, PickleInput in) {
        List<Object> items =
                state instanceof ArgTuple tuple ? tuple.items() : state instanceof PyTuple tuple ? tuple.items() : null;
        if (items == null || (items.size() != 4 && items.size() != 5)) {
            throw in.corrupt("numpy array state must be a tuple (version, shape, dtype, is_fortran, data)");
        }
        int base = items.size() - 4;
        if (!(items.get(base + 1) instanceof NumpyDType dtype) || !(items.get(base + 2) instanceof Boolean fortran)) {
            throw in.corrupt("numpy array state must hold a dtype and an is_fortran flag");
        }
        array.finish(array(dtype, items.get(base), fortran, items.get(base + 3), in));
    }

    private static Object scalar(List<Object> args, PickleInput in) {
        if (args.size() != 2 || !(args.get(0) instanceof NumpyDType dtype)) {
            throw badArguments(PyGlobal.NUMPY_SCALAR, in);
        }
        var type = elementType(dtype, "numpy.generic", in);
        byte[] raw = raw(args.get(1), "numpy.generic", in);
        if (raw.length != type.size()) {
            throw in.corrupt(
                    "numpy scalar of dtype " + dtype.str() + " needs " + type.size() + " bytes, found " + raw.length);
        }
        return new NumpyScalar(type.littleEndianStr(), type.read(raw, 0));
    }

    private static NdArray fromBuffer(List<Object> args, PickleInput in) {
        if (args.size() != 4
                || !(args.get(1) instanceof NumpyDType dtype)
                || !(args.get(3) instanceof String order)
                || !(order.equals("C") || order.equals("F"))) {
            throw badArguments(PyGlobal.NUMPY_FROMBUFFER, in);
        }
        return array(dtype, args.get(2), order.equals("F"), args.get(0), in);
    }

    private static NdArray array(NumpyDType dtype, Object shapeValue, boolean fortran, Object data, PickleInput in) {
        if (!(shapeValue instanceof PyTuple shapeTuple)) {
            throw in.corrupt("numpy array shape must be a tuple of ints");
        }
        var shapeItems = shapeTuple.items();
        if (shapeItems.size() > NdArray.MAX_DIMENSIONS) {
            throw in.corrupt(
                    "numpy array has " + shapeItems.size() + " dimensions, numpy allows " + NdArray.MAX_DIMENSIONS);
        }
        var shape = new int[shapeItems.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeItems.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                throw in.corrupt("numpy array dimension " + shapeItems.get(i) + " is not a size");
            }
            shape[i] = (int) (long) dim;
        }
        var type = elementType(dtype, "numpy.ndarray", in);
        byte[] raw = raw(data, "numpy.ndarray", in);
        NdArray array;
        try {
            array = new NdArray(dtype.str(), shape, fortran, raw);
        } catch (IllegalArgumentException e) {
            throw in.corrupt("numpy array: " + e.getMessage());
        }
        // Like numpy, which byte-swaps big-endian data while unpickling: callers always get little-endian.
        if (array.dtype().equals(type.littleEndianStr())) {
            return array;
        }
        in.chargeCopy(raw.length);
        return new NdArray(type.littleEndianStr(), shape, fortran, type.toLittleEndian(raw));
    }

    private static ElementType elementType(NumpyDType dtype, String pythonType, PickleInput in) {
        String str = dtype.str();
        if (str.isEmpty() || "<>|=".indexOf(str.charAt(0)) < 0) {
            throw in.corrupt("numpy dtype '" + str + "' has no byte order (its BUILD is missing)");
        }
        var type = ElementType.parse(str);
        if (type == null) {
            throw in.unsupported(
                    pythonType,
                    pythonType + " with dtype '" + str + "' is not supported (only bool,"
                            + " int8-64, uint8-64 and float16/32/64 are)");
        }
        return type;
    }

    /** Raw element bytes: {@code bytes}, or a {@code str} holding them as code points 0-255 (Python 2 pickles). */
    private static byte[] raw(Object data, String pythonType, PickleInput in) {
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof String text && text.chars().allMatch(c -> c <= 0xFF)) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (data instanceof List<?>) {
            throw in.unsupported(pythonType, pythonType + " of Python objects (dtype 'O') is not supported");
        }
        throw in.corrupt(pythonType + " data must be bytes, found "
                + (data == null ? "None" : data.getClass().getSimpleName()));
    }

    private static PickleException badArguments(PyGlobal callable, PickleInput in) {
        return in.unsupported(
                callable.qualifiedName(),
                callable.qualifiedName() + " called with arguments this reader does not understand");
    }
}
