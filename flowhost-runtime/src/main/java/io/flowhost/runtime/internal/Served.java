package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.wire.netty.InOrderHandler;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** What an instance serves: a {@code @Service} class, or an ONNX model with no code. */
public interface Served {

    /** What the outside sees of it. */
    ServiceDescriptor descriptor();

    /** Builds the thing that answers calls (the service object, the loaded model); runs once, before ready. */
    Object construct(InstanceOptions options, MetaflowAccess metaflow) throws ServiceDefinitionException;

    /**
     * The handler of one connection; {@code target} is what {@link #construct} built, null until then, and
     * {@code observing} traces its calls and logs them as predictions.
     */
    InOrderHandler handler(
            Supplier<Object> target, Probes probes, ObjectMapper json, Executor handlers, Observing observing);
}
