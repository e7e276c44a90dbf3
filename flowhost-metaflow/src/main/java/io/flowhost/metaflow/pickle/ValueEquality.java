package io.flowhost.metaflow.pickle;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Equality and hashing of tuples and sets by value, comparing {@code bytes} (Java {@code byte[]}) by content.
 * Equality walks pairs of tuples and sets once each: two tuples built from shared parts (a tuple holding its
 * predecessor twice, sixty levels deep, is a 300-byte pickle) compare in linear time, not exponential.
 */
final class ValueEquality {

    private ValueEquality() {}

    static boolean equal(Object a, Object b) {
        var pending = new ArrayDeque<Object[]>();
        Map<Object, Set<Object>> compared = new IdentityHashMap<>();
        pending.push(new Object[] {a, b});
        while (!pending.isEmpty()) {
            var pair = pending.pop();
            Object x = pair[0];
            Object y = pair[1];
            if (x == y) {
                continue;
            }
            List<Object> xs = items(x);
            List<Object> ys = items(y);
            if (xs == null || ys == null) {
                if (xs != null || ys != null || !leafEqual(x, y)) {
                    return false;
                }
                continue;
            }
            if (x.getClass() != y.getClass()
                    || (x instanceof PySet s && s.frozen() != ((PySet) y).frozen())
                    || xs.size() != ys.size()
                    || differentHashes(xs, ys)) {
                return false;
            }
            if (!compared.computeIfAbsent(x, k -> Collections.newSetFromMap(new IdentityHashMap<>()))
                    .add(y)) {
                continue; // this pair is already being compared
            }
            for (int i = xs.size() - 1; i >= 0; i--) {
                pending.push(new Object[] {xs.get(i), ys.get(i)});
            }
        }
        return true;
    }

    static int hashItems(List<Object> items) {
        int hash = 1;
        for (var item : items) {
            hash = 31 * hash + (item instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(item));
        }
        return hash;
    }

    /** A cheap early "no" from cached hashes, for tuples and frozensets that hold no mutable containers. */
    private static boolean differentHashes(List<Object> xs, List<Object> ys) {
        return xs instanceof FrozenItems fx
                && ys instanceof FrozenItems fy
                && fx.hashable()
                && fy.hashable()
                && fx.valueHash() != fy.valueHash();
    }

    private static List<Object> items(Object value) {
        return value instanceof PyTuple tuple ? tuple.items() : value instanceof PySet set ? set.items() : null;
    }

    private static boolean leafEqual(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
