package io.flowhost.metaflow.pickle;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * The unmodifiable item list of a tuple or frozenset. It knows at construction, from its items' own lists,
 * whether Python could hash it and how deeply it nests, and caches its value hash; so checking and hashing a
 * dict key costs the same however often a pickle shares the key's parts through the memo.
 */
final class FrozenItems extends AbstractList<Object> implements RandomAccess {

    private final Object[] items;
    private final boolean hashable;
    private final int height;
    private int valueHash;
    private boolean hashed;

    FrozenItems(Collection<?> items) {
        this.items = items.toArray();
        boolean allHashable = true;
        int deepest = 0;
        for (var item : this.items) {
            var nested = of(item);
            allHashable &= nested != null ? nested.hashable : isHashableLeaf(item);
            deepest = Math.max(deepest, nested != null ? nested.height : 0);
        }
        this.hashable = allHashable;
        this.height = deepest + 1;
    }

    /** True when every item could be a dict key in Python: no list, dict, set or array at any depth. */
    boolean hashable() {
        return hashable;
    }

    /** Levels of tuples and frozensets, this one included. */
    int height() {
        return height;
    }

    /** {@link ValueEquality#hashItems}, computed once. */
    int valueHash() {
        if (!hashed) {
            valueHash = ValueEquality.hashItems(this);
            hashed = true;
        }
        return valueHash;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** The item list of a tuple or frozenset, or null for anything else. */
    static FrozenItems of(Object value) {
        if (value instanceof PyTuple tuple) {
            return (FrozenItems) tuple.items();
        }
        if (value instanceof PySet set && set.frozen()) {
            return (FrozenItems) set.items();
        }
        return null;
    }

    static boolean isHashableLeaf(Object value) {
        return value == null
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof BigInteger
                || value instanceof Double
                || value instanceof String
                || value instanceof byte[]
                || value instanceof NumpyScalar;
    }
}
