package io.flowhost.metaflow.pickle;

import java.util.List;
import java.util.Objects;

/**
 * A Python {@code set} or {@code frozenset}. The items keep the order in which the pickle listed them (Python's
 * iteration order when it was pickled); a frozenset's list is unmodifiable, a set's is the list given.
 */
public record PySet(boolean frozen, List<Object> items) {

    /** Keeps a set's list as given and copies a frozenset's into an unmodifiable one. */
    public PySet {
        Objects.requireNonNull(items, "items");
        if (frozen && !(items instanceof FrozenItems)) {
            items = new FrozenItems(items);
        }
    }

    /** True for another set of the same kind with equal items in the same order, {@code bytes} by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PySet set && ValueEquality.equal(this, set);
    }

    /** A hash consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        int itemsHash =
                items instanceof FrozenItems frozenItems ? frozenItems.valueHash() : ValueEquality.hashItems(items);
        return 31 * Boolean.hashCode(frozen) + itemsHash;
    }
}
