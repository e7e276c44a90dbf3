package io.flowhost.metaflow.pickle;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How big a decoded value becomes once written out without sharing (JSON has no references), measured in one
 * pass over the distinct objects: a pickle that shares one list a million times, or nests a tuple holding its
 * predecessor twice sixty levels deep, is tiny but would expand to more than any writer can hold.
 */
record Expansion(long nodes, int height) {

    /** Measures the value; throws IllegalArgumentException when a container contains itself. */
    static Expansion of(Object value) {
        var done = new IdentityHashMap<Object, Expansion>();
        var onPath = new IdentityHashMap<Object, Boolean>();
        var pending = new ArrayList<Object>();
        pending.add(value);
        while (!pending.isEmpty()) {
            Object node = pending.get(pending.size() - 1);
            List<?> children = children(node);
            if (children == null || done.containsKey(node)) {
                pending.remove(pending.size() - 1);
                continue;
            }
            if (onPath.put(node, Boolean.TRUE) == null) {
                // first visit: measure the children first
                for (var child : children) {
                    if (children(child) != null && !done.containsKey(child)) {
                        if (onPath.containsKey(child)) {
                            throw new IllegalArgumentException("the value contains itself (a recursive "
                                    + Calls.describe(child) + "), which JSON cannot express");
                        }
                        pending.add(child);
                    }
                }
                continue;
            }
            // second visit: every child is measured
            long nodes = 1;
            int height = 0;
            for (var child : children) {
                var measured = done.get(child);
                nodes = saturatedAdd(nodes, measured == null ? 1 : measured.nodes);
                height = Math.max(height, measured == null ? 0 : measured.height);
            }
            if (node instanceof NdArray array) {
                nodes = saturatedAdd(nodes, array.size() + (long) array.shape().length);
                height = array.shape().length;
            }
            done.put(node, new Expansion(nodes, height + 1));
            onPath.remove(node);
            pending.remove(pending.size() - 1);
        }
        var measured = done.get(value);
        return measured != null ? measured : new Expansion(1, 0);
    }

    /** The objects a container refers to (dict keys and values), an empty list for an array, null for a leaf. */
    private static List<?> children(Object node) {
        return switch (node) {
            case List<?> list -> list;
            case PyTuple tuple -> tuple.items();
            case PySet set -> set.items();
            case Map<?, ?> map -> {
                var both = new ArrayList<>(map.size() * 2);
                map.forEach((k, v) -> {
                    both.add(k);
                    both.add(v);
                });
                yield both;
            }
            case NdArray array -> List.of();
            case null, default -> null;
        };
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
