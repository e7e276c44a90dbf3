package io.flowhost.alerts;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One service's events in a ring of time slots, plus its gauges. Recording into the current slot takes no lock; the
 * first event of a new slot of time empties the slot it reuses under that slot's lock, once per slot of time.
 */
final class ServiceRecorder {

    /** The last sample of the async queue: the oldest request's age at a time; a null age means an empty queue. */
    private record Queued(long ageNanos, long atMillis) {}

    private final long widthMillis;
    private final AtomicReferenceArray<Slot> ring;
    private volatile int held;
    private volatile Queued queued;

    ServiceRecorder(long widthMillis, int slots) {
        this.widthMillis = widthMillis;
        this.ring = new AtomicReferenceArray<>(slots);
    }

    void call(int status, long latencyNanos, long atMillis) {
        var slot = slot(atMillis);
        if (slot != null) {
            slot.calls.increment();
            if (status >= 500 && status <= 599) {
                slot.errors.increment();
            }
            long nanos = Math.max(0, latencyNanos);
            slot.latency.incrementAndGet(LatencyHistogram.bucket(nanos));
            slot.maxNanos.accumulate(nanos);
        }
    }

    void coldStart(long atMillis) {
        var slot = slot(atMillis);
        if (slot != null) {
            slot.coldStarts.increment();
        }
    }

    void crash(long atMillis) {
        var slot = slot(atMillis);
        if (slot != null) {
            slot.crashes.increment();
        }
    }

    void held(int count) {
        held = Math.max(0, count);
    }

    void queued(Duration oldestAge, long atMillis) {
        queued = oldestAge == null ? null : new Queued(Math.max(0, oldestAge.toNanos()), atMillis);
    }

    /** Counts over the slots of {@code (now - window, now]}, whole slots, and the gauges as they are at now. */
    ServiceStats stats(String service, Duration window, long nowMillis) {
        long last = Math.floorDiv(nowMillis, widthMillis);
        long count = Math.min(ring.length(), (window.toMillis() + widthMillis - 1) / widthMillis);
        long calls = 0, errors = 0, coldStarts = 0, crashes = 0, maxNanos = 0;
        var latency = new long[LatencyHistogram.BUCKETS];
        for (long n = last - count + 1; n <= last; n++) {
            var slot = ring.get(index(n));
            if (slot == null || slot.number != n) {
                continue; // nothing happened in that slot of time
            }
            calls += slot.calls.sum();
            errors += slot.errors.sum();
            coldStarts += slot.coldStarts.sum();
            crashes += slot.crashes.sum();
            LatencyHistogram.addTo(latency, slot.latency);
            maxNanos = Math.max(maxNanos, slot.maxNanos.get());
        }
        long p99 = LatencyHistogram.quantile(latency, 0.99, maxNanos);
        return new ServiceStats(
                service,
                calls,
                errors,
                p99 < 0 ? null : Duration.ofNanos(p99),
                held,
                oldestQueued(nowMillis),
                (int) coldStarts,
                (int) crashes);
    }

    /** The {@code q} quantile of the latency over the slots of {@code (now - window, now]}, or null without calls. */
    Duration quantile(Duration window, long nowMillis, double q) {
        long last = Math.floorDiv(nowMillis, widthMillis);
        long count = Math.min(ring.length(), (window.toMillis() + widthMillis - 1) / widthMillis);
        long maxNanos = 0;
        var latency = new long[LatencyHistogram.BUCKETS];
        for (long n = last - count + 1; n <= last; n++) {
            var slot = ring.get(index(n));
            if (slot != null && slot.number == n) {
                LatencyHistogram.addTo(latency, slot.latency);
                maxNanos = Math.max(maxNanos, slot.maxNanos.get());
            }
        }
        long nanos = LatencyHistogram.quantile(latency, q, maxNanos);
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    /** The oldest request keeps ageing after its sample, until a later sample says it left the queue. */
    private Duration oldestQueued(long nowMillis) {
        var q = queued;
        if (q == null) {
            return null;
        }
        return Duration.ofNanos(q.ageNanos()).plusMillis(Math.max(0, nowMillis - q.atMillis()));
    }

    /** The slot for a time, emptied if it held an older slot of time; null when the time is older than the ring. */
    private Slot slot(long atMillis) {
        long n = Math.floorDiv(atMillis, widthMillis);
        int i = index(n);
        var slot = ring.get(i);
        if (slot == null) {
            ring.compareAndSet(i, null, new Slot());
            slot = ring.get(i);
        }
        long current = slot.number;
        if (current == n) {
            return slot; // the hot path: no lock
        }
        if (current > n) {
            return null; // older than anything the ring keeps
        }
        synchronized (slot) {
            if (slot.number < n) {
                slot.reuseFor(n);
            }
            return slot.number == n ? slot : null;
        }
    }

    private int index(long n) {
        return (int) Math.floorMod(n, (long) ring.length());
    }
}
