package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.Spans;
import io.flowhost.wire.netty.InOrderHandler;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** A {@code @Service} class: constructed once, its endpoints called per request (batched ones per batch). */
public final class ServedClass implements Served {

    private final BoundService service;

    public ServedClass(BoundService service) {
        this.service = service;
    }

    /** The bound service class. */
    public BoundService service() {
        return service;
    }

    @Override
    public ServiceDescriptor descriptor() {
        return service.descriptor();
    }

    @Override
    public Object construct(InstanceOptions options, MetaflowAccess metaflow) throws ServiceDefinitionException {
        return construct(options, metaflow, Spans.NOOP);
    }

    private static final ObjectMapper TABLE_JSON = new ObjectMapper();

    /** The instance's batched endpoints' batchers, shared by its connections. */
    private final Batchers batchers = new Batchers();

    /** {@link #construct(InstanceOptions, MetaflowAccess)}, with the spans its context hands the service. */
    public Object construct(InstanceOptions options, MetaflowAccess metaflow, Spans spans)
            throws ServiceDefinitionException {
        var constructor = service.constructor();
        var where = constructor.getDeclaringClass().getName() + "."
                + constructor.getDeclaringClass().getSimpleName()
                + (service.takesContext() ? "(ServiceContext)" : "()");
        try {
            if (!service.takesContext()) {
                return constructor.newInstance();
            }
            var loader = constructor.getDeclaringClass().getClassLoader();
            var context = new InstanceContext(
                    service.name(),
                    options.settings(),
                    System.getLogger("flowhost.service." + service.name()),
                    new ReferenceArtifacts(loader, metaflow),
                    spans,
                    // the gateway that started this instance says where it is in the environment, as it is
                    // known only once the gateway listens (and a pod learns it from its spec the same way)
                    GatewayTables.of(System.getenv(InstanceOptions.GATEWAY_VARIABLE), TABLE_JSON));
            return constructor.newInstance(context);
        } catch (InvocationTargetException e) {
            var cause = e.getCause();
            throw new ServiceDefinitionException(
                    "the constructor " + where + " threw " + cause
                            + ": fix what it reports (the instance log has the stack trace) and deploy again",
                    cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ServiceDefinitionException("the constructor " + where + " could not be called: " + e, e);
        }
    }

    @Override
    public InOrderHandler handler(
            Supplier<Object> target, Probes probes, ObjectMapper json, Executor handlers, Observing observing) {
        return new InstanceHandler(service, target, probes, json, handlers, observing, batchers);
    }
}
