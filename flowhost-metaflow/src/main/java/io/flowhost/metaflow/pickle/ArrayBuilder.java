package io.flowhost.metaflow.pickle;

/**
 * A numpy array between {@code _reconstruct(ndarray, (0,), b'b')} (which makes an empty array) and the BUILD
 * that gives it shape, dtype and data. The memo may hold this object, so it becomes the finished array in place.
 */
final class ArrayBuilder implements Intermediate {

    private NdArray array;

    NdArray array() {
        return array;
    }

    void finish(NdArray array) {
        this.array = array;
    }

    @Override
    public PickleException notAValue(PickleInput in) {
        return in.corrupt("a numpy array is used before BUILD gave it its shape, dtype and data");
    }
}
