package io.flowhost.sdk;

import java.util.Map;
import java.util.Optional;

/** What flowhost hands a service's constructor: its settings, a logger, its artifacts and the platform's tables. */
public interface ServiceContext {

    /** The name the service is served under. */
    String serviceName();

    /** The deployment's settings, as given at deploy time ({@code --set key=value}). */
    Map<String, String> settings();

    /** One setting, if the deployment has it. */
    default Optional<String> setting(String key) {
        return Optional.ofNullable(settings().get(key));
    }

    /** A logger named after the service, writing to the instance log. */
    System.Logger logger();

    /** Loads the artifacts (models, tables, thresholds) the service needs. */
    Artifacts artifacts();

    /** Lookups in the platform's tables of precomputed predictions ({@code flowhost table load}). */
    default Tables tables() {
        return Tables.NONE;
    }

    /** Spans and span attributes of the service's own, in the trace of the call being handled. */
    default Spans spans() {
        return Spans.NOOP;
    }
}
