package io.flowhost.runtime.internal;

import io.flowhost.sdk.Artifacts;
import io.flowhost.sdk.ServiceContext;
import java.util.Map;

/** The {@link ServiceContext} an instance hands its service's constructor. */
record InstanceContext(String serviceName, Map<String, String> settings, System.Logger logger, Artifacts artifacts)
        implements ServiceContext {

    InstanceContext {
        settings = Map.copyOf(settings);
    }
}
