package io.flowhost.alerts;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** One slot of time (a second, usually) of one service's events; striped counters, so recording takes no lock. */
final class Slot {

    /** Which slot of time this holds: epoch millis / slot width; only ever grows. */
    volatile long number = Long.MIN_VALUE;

    final LongAdder calls = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder coldStarts = new LongAdder();
    final LongAdder crashes = new LongAdder();
    final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BUCKETS);
    final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    /** Empties the slot for a later slot of time; called under the slot's lock, once per slot of time. */
    void reuseFor(long newNumber) {
        calls.reset();
        errors.reset();
        coldStarts.reset();
        crashes.reset();
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            latency.set(i, 0);
        }
        maxNanos.reset();
        number = newNumber; // published last: a writer that sees the new number sees empty counters
    }
}
