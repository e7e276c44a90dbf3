package io.flowhost.metaflow.pickle;

import java.util.Arrays;
import java.util.List;

/** A Python tuple: an immutable list of items (nulls allowed) compared by value, so it can be a dict key. */
public record PyTuple(List<Object> items) {

    /** Copies the items into an unmodifiable list. */
    public PyTuple {
        items = items instanceof FrozenItems frozen ? frozen : new FrozenItems(items);
    }

    /** A tuple of the given items. */
    public static PyTuple of(Object... items) {
        return new PyTuple(Arrays.asList(items));
    }

    /** True for another tuple with equal items, {@code bytes} items compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PyTuple tuple && ValueEquality.equal(this, tuple);
    }

    /** A hash consistent with {@link #equals}, computed once. */
    @Override
    public int hashCode() {
        return ((FrozenItems) items).valueHash();
    }
}
