package io.flowhost.metaflow.pickle;

import java.util.List;
import java.util.Map;

/**
 * Python only lets hashable values be dict keys and set members. Checking that here keeps mutable Java lists and
 * maps out of hash-based collections and bounds how deep a key can nest, so hashing it cannot overflow the stack.
 */
final class Hashable {

    private Hashable() {}

    /** Python's default recursion limit: deeper values could not be hashed or printed by Python either. */
    static final int MAX_DEPTH = 1000;

    /** Throws unless the value could be a dict key or set member in Python. */
    static void require(Object value, String role, PickleInput in) {
        var items = FrozenItems.of(value);
        if (items == null ? !FrozenItems.isHashableLeaf(value) : !items.hashable()) {
            throw in.corrupt("unhashable " + typeName(value) + " used as a " + role);
        }
        if (items != null && items.height() > MAX_DEPTH) {
            throw in.unsupported(null, role + " nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static String typeName(Object item) {
        return switch (item) {
            case List<?> list -> "list";
            case Map<?, ?> map -> "dict";
            case PySet set -> set.frozen() ? "frozenset holding an unhashable item" : "set";
            case PyTuple tuple -> "tuple holding an unhashable item";
            case NdArray array -> "numpy.ndarray";
            default -> item.getClass().getSimpleName();
        };
    }
}
