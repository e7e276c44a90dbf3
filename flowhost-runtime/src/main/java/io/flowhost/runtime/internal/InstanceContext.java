package io.flowhost.runtime.internal;

import io.flowhost.sdk.Artifacts;
import io.flowhost.sdk.ServiceContext;
import io.flowhost.sdk.Spans;
import io.flowhost.sdk.Tables;
import java.util.Map;

/** The {@link ServiceContext} an instance hands its service's constructor. */
record InstanceContext(
        String serviceName,
        Map<String, String> settings,
        System.Logger logger,
        Artifacts artifacts,
        Spans spans,
        Tables tables)
        implements ServiceContext {

    InstanceContext {
        settings = Map.copyOf(settings);
    }
}
