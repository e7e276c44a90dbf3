package io.flowhost.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Stats set by hand per service, the same whatever the window; counts the reads. */
final class FakeStats implements StatsSource {

    private final Map<String, ServiceStats> services = new ConcurrentHashMap<>();
    final List<String> reads = new ArrayList<>();

    FakeStats held(String service, int held) {
        services.put(service, new ServiceStats(service, 0, 0, null, held, null, 0, 0));
        return this;
    }

    FakeStats set(ServiceStats stats) {
        services.put(stats.service(), stats);
        return this;
    }

    FakeStats remove(String service) {
        services.remove(service);
        return this;
    }

    @Override
    public List<String> services() {
        return List.copyOf(new TreeMap<>(services).keySet());
    }

    @Override
    public synchronized ServiceStats stats(String service, Duration window, Instant now) {
        reads.add(service + "/" + window);
        return services.getOrDefault(service, ServiceStats.idle(service));
    }
}
