package io.flowhost.onnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model's input or output looks like: its name, its Open Inference Protocol datatype, and its shape with -1
 * for each dynamic dimension.
 *
 * @param name     the input or output name in the model
 * @param datatype the Open Inference Protocol datatype name, such as {@code FP32}
 * @param shape    the dimensions, -1 where the model leaves a dimension open (such as the batch size)
 */
public record TensorSpec(String name, String datatype, long[] shape) {

    /** Copies the shape in, so that a spec shared by many callers cannot change. */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
    }

    /** Returns a copy of the shape, so that a spec shared by many callers cannot change. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Tells whether the other object is a spec with the same name, datatype and shape. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec that
                && name.equals(that.name)
                && datatype.equals(that.datatype)
                && Arrays.equals(shape, that.shape);
    }

    /** Returns a hash code computed from the name, datatype and shape. */
    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    /** Describes the spec, such as {@code features FP32 [-1, 4]}. */
    @Override
    public String toString() {
        return name + " " + datatype + " " + Shapes.format(shape);
    }
}
