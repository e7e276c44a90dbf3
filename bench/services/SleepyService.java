package bench;

import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.Map;

/** A service whose calls take as long as they ask ({"ms": N}), for benchmarks that need calls held. */
@Service(name = "sleepy")
public final class SleepyService {

    @Endpoint("sleep")
    public Map<String, Object> sleep(Map<String, Object> body) throws InterruptedException {
        Thread.sleep(((Number) body.getOrDefault("ms", 1)).longValue());
        return Map.of("slept", body.getOrDefault("ms", 1));
    }
}
