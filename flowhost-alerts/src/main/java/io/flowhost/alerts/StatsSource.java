package io.flowhost.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the evaluator reads what services did; the server implements it (or uses {@link RecordingStats}). It is called
 * from the evaluation thread only, once per service and distinct window per evaluation, and must not block for long.
 */
public interface StatsSource {

    /** The services to watch with the rules that watch every service: those deployed, or seen recently. */
    List<String> services();

    /**
     * What the service did over {@code (now - window, now]}: counts over the window and gauges as they are at
     * {@code now}. The window is {@link Duration#ZERO} when only the gauges are wanted; an unknown service is idle.
     */
    ServiceStats stats(String service, Duration window, Instant now);
}
