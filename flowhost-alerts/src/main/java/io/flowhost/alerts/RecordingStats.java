package io.flowhost.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StatsSource} that the server records events into: cheap and lock-free on the call path, thread-safe, and
 * bounded: per service a ring of at most 600 time slots spanning the longest window (1s slots up to a 10-minute
 * window, window/600 above), so a window is counted in whole slots. p99 accuracy: see {@link LatencyHistogram}
 * (never under, at most 19% over).
 */
public final class RecordingStats implements StatsSource {

    private static final int MAX_SLOTS = 600;

    private final long widthMillis;
    private final int slots;
    private final ConcurrentHashMap<String, ServiceRecorder> services = new ConcurrentHashMap<>();

    /** Stats that keep events for {@code longest}, the longest window any rule will ask for. */
    public RecordingStats(Duration longest) {
        long ms = Math.max(1000, longest.toMillis());
        // 1h over 600 slots: 6s slots; 5m: 300 slots of 1s. One more slot holds the second now in progress.
        long widthSeconds = Math.max(1, (ms + MAX_SLOTS * 1000L - 1) / (MAX_SLOTS * 1000L));
        this.widthMillis = widthSeconds * 1000;
        this.slots = (int) ((ms + widthMillis - 1) / widthMillis) + 1;
    }

    /** Stats that keep events for the longest window of these rules (at least a minute). */
    public static RecordingStats forRules(List<Rule> rules) {
        var longest = rules.stream()
                .map(Rule::window)
                .filter(w -> w != null)
                .max(Duration::compareTo)
                .orElse(Duration.ofMinutes(1));
        return new RecordingStats(longest.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : longest);
    }

    /** Records one answered call: its final status and total latency, at the time it was answered. */
    public void call(String service, int status, Duration latency, Instant at) {
        call(service, status, latency.toNanos(), at.toEpochMilli());
    }

    /** {@link #call(String, int, Duration, Instant)} without the objects, for the gateway's every call. */
    public void call(String service, int status, long latencyNanos, long atEpochMillis) {
        recorder(service).call(status, latencyNanos, atEpochMillis);
    }

    /** Records how many calls the gateway holds for the service now; call it whenever the number changes. */
    public void held(String service, int held, Instant at) {
        recorder(service).held(held);
    }

    /** Records the age of the oldest queued request at {@code at} (null: the queue is empty); it keeps ageing after. */
    public void queued(String service, Duration oldestAge, Instant at) {
        recorder(service).queued(oldestAge, at.toEpochMilli());
    }

    /** Records one cold start of the service. */
    public void coldStart(String service, Instant at) {
        recorder(service).coldStart(at.toEpochMilli());
    }

    /** Records one instance of the service exiting when it should not have. */
    public void crash(String service, Instant at) {
        recorder(service).crash(at.toEpochMilli());
    }

    /** Forgets a service that is no longer deployed; its alerts resolve at the next evaluation. */
    public void forget(String service) {
        services.remove(service);
    }

    /** The services that recorded anything, sorted. */
    @Override
    public List<String> services() {
        return services.keySet().stream().sorted().toList();
    }

    /** The {@code q} quantile of the latency over the window (whole slots), or null without calls. */
    public Duration quantile(String service, Duration window, Instant now, double q) {
        var recorder = services.get(service);
        return recorder == null ? null : recorder.quantile(window, now.toEpochMilli(), q);
    }

    /** Counts over the whole slots of the window (at most the longest window kept) and the gauges now. */
    @Override
    public ServiceStats stats(String service, Duration window, Instant now) {
        var recorder = services.get(service);
        return recorder == null ? ServiceStats.idle(service) : recorder.stats(service, window, now.toEpochMilli());
    }

    /** How long one slot of time is: the resolution of the windows. */
    public Duration slotWidth() {
        return Duration.ofMillis(widthMillis);
    }

    private ServiceRecorder recorder(String service) {
        var recorder = services.get(service); // the common case: no allocation, no lock
        return recorder != null
                ? recorder
                : services.computeIfAbsent(service, s -> new ServiceRecorder(widthMillis, slots));
    }
}
