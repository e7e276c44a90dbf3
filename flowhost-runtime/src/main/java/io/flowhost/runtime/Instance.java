package io.flowhost.runtime;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.runtime.internal.BoundService;
import io.flowhost.runtime.internal.InstanceServer;
import io.flowhost.runtime.internal.JarServiceLoader;
import io.flowhost.runtime.internal.Json;
import io.flowhost.runtime.internal.Served;
import io.flowhost.runtime.internal.ServedClass;
import io.flowhost.runtime.internal.ServedModel;
import io.flowhost.runtime.internal.ServiceBinder;
import io.flowhost.runtime.options.InstanceOptions;

/**
 * One running copy of a service: an HTTP server for its endpoints and probes, ready once the
 * service's constructor has returned.
 */
public final class Instance implements AutoCloseable {

    private final Served served;
    private final InstanceServer server;

    private Instance(Served served, InstanceServer server) {
        this.served = served;
        this.server = server;
    }

    /** Checks the service class without constructing it, and says what it offers. */
    public static ServiceDescriptor describe(InstanceOptions options) throws ServiceDefinitionException {
        return served(options, new ServiceBinder(Json.mapper())).descriptor();
    }

    /** Binds the service and starts listening; probes answer at once, endpoints once {@link #construct()} returns. */
    public static Instance start(InstanceOptions options) throws ServiceDefinitionException {
        return start(options, System.currentTimeMillis());
    }

    /** {@link #start(InstanceOptions)}, for a process whose main began at the given epoch millisecond (for its cold-start report). */
    public static Instance start(InstanceOptions options, long mainStartedAt) throws ServiceDefinitionException {
        return start(options, mainStartedAt, 0);
    }

    /**
     * {@link #start(InstanceOptions, long)} for a process that first fetched its service jar, done at the given
     * epoch millisecond (0 for none): a pod's cold start shows the fetch as a part of its own.
     */
    public static Instance start(InstanceOptions options, long mainStartedAt, long jarFetchedAt)
            throws ServiceDefinitionException {
        var json = Json.mapper();
        var served = served(options, ServiceBinder.withoutSchemas(json));
        return new Instance(served, InstanceServer.start(served, options, json, mainStartedAt, jarFetchedAt));
    }

    /** Starts an instance and constructs its service: the instance is ready when this returns. */
    public static Instance serve(InstanceOptions options) throws ServiceDefinitionException {
        var instance = start(options);
        try {
            instance.construct();
        } catch (ServiceDefinitionException | RuntimeException e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    private static Served served(InstanceOptions options, ServiceBinder binder) throws ServiceDefinitionException {
        if (options.servesOnnx()) {
            return new ServedModel(options.modelName(), options.onnxModel());
        }
        return new ServedClass(bind(options, binder));
    }

    private static BoundService bind(InstanceOptions options, ServiceBinder binder) throws ServiceDefinitionException {
        Class<?> type;
        if (options.jar() != null) {
            type = JarServiceLoader.load(options.jar(), options.className());
        } else {
            try {
                type = Class.forName(options.className(), false, Instance.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ServiceDefinitionException("no class " + options.className() + " on the class path", e);
            }
        }
        return binder.bind(type);
    }

    /** Runs the service's constructor once; the instance is ready afterwards. */
    public void construct() throws ServiceDefinitionException {
        server.construct();
    }

    /** Blocks until the instance is closed (its threads are daemons: this is what keeps a process alive). */
    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    /** What {@code /readyz} reports once ready: the Metaflow runs pinned and when each start step happened (JSON). */
    public byte[] readyReport() {
        return server.readyReport();
    }

    /** The port this instance listens on. */
    public int port() {
        return server.port();
    }

    /** Whether it takes calls on the Unix socket its options name too (not where its transport has none). */
    public boolean onSocket() {
        return server.onSocket();
    }

    /** What this instance serves. */
    public ServiceDescriptor descriptor() {
        return served.descriptor();
    }

    /** Stops listening and finishes the calls in progress. */
    @Override
    public void close() {
        server.close();
    }
}
