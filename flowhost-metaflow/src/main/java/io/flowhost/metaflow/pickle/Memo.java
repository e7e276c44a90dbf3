package io.flowhost.metaflow.pickle;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * The unpickler's memo: objects stored by index so that later opcodes can refer to them again. Picklers number
 * entries 0, 1, 2, ... so they live in a list; any other index goes to a map, so that a huge index in a
 * crafted pickle costs one entry, not an array of that size.
 */
final class Memo {

    private final ArrayList<Object> dense = new ArrayList<>();
    private final HashMap<Long, Object> sparse = new HashMap<>();

    /** Number of entries: the index MEMOIZE gives to the next one, like Python's {@code len(memo)}. */
    long size() {
        return dense.size() + (long) sparse.size();
    }

    void put(long index, Object value) {
        if (index < dense.size()) {
            dense.set((int) index, value);
            return;
        }
        if (index > dense.size()) {
            sparse.put(index, value);
            return;
        }
        dense.add(value);
        sparse.remove(index);
        // entries stored out of order may now continue the list
        Long next;
        while (!sparse.isEmpty() && sparse.containsKey(next = (long) dense.size())) {
            dense.add(sparse.remove(next));
        }
    }

    Object get(long index, PickleInput in) {
        if (index >= 0 && index < dense.size()) {
            return dense.get((int) index);
        }
        if (!sparse.containsKey(index)) {
            throw in.corrupt("memo index " + index + " was never stored (" + size() + " memo entries)");
        }
        return sparse.get(index);
    }
}
