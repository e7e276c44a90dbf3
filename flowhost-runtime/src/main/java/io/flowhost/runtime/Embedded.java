package io.flowhost.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.HandlerFailedException;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.UnknownEndpointException;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.runtime.internal.BoundService;
import io.flowhost.runtime.internal.EmbeddedCalls;
import io.flowhost.runtime.internal.Json;
import io.flowhost.runtime.internal.MetaflowAccess;
import io.flowhost.runtime.internal.ServedClass;
import io.flowhost.runtime.internal.ServiceBinder;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@code @Service} class run inside this JVM, its endpoints called directly, without HTTP: the same binding (the
 * input written as JSON and read back by the endpoint's strict reader, so a wrong field fails as it would over HTTP),
 * the same constructor and {@code ServiceContext} (settings, Metaflow artifacts), and the same errors, as a
 * {@link CallFailedException} holding the problem a caller over HTTP would have got.
 *
 * <pre>{@code
 * try (var iris = Embedded.of(IrisService.class, Map.of(), "/path/to/metaflow")) {
 *     Prediction p = iris.call("predict", new Features(5.1, 3.5, 1.4, 0.2), Prediction.class);
 * }
 * }</pre>
 */
public final class Embedded implements AutoCloseable {

    private final BoundService service;
    private final Object target;
    private final ObjectMapper json;

    private Embedded(BoundService service, Object target, ObjectMapper json) {
        this.service = service;
        this.target = target;
        this.json = json;
    }

    /** The service, bound and constructed with no settings and no Metaflow datastore. */
    public static Embedded of(Class<?> serviceClass) throws ServiceDefinitionException {
        return of(serviceClass, Map.of(), null);
    }

    /**
     * The service, bound and constructed with these settings and, for its {@code metaflow://} references, the
     * datastore at {@code metaflowRoot} (a folder holding {@code .metaflow}, or {@code s3://bucket/prefix}; null for
     * none).
     */
    public static Embedded of(Class<?> serviceClass, Map<String, String> settings, String metaflowRoot)
            throws ServiceDefinitionException {
        var json = Json.mapper();
        var service = new ServiceBinder(json).bind(serviceClass);
        var datastore = metaflowRoot == null ? null : DatastoreOptions.of(metaflowRoot);
        var options =
                InstanceOptions.forClass(serviceClass).withSettings(settings).withMetaflow(datastore, Map.of());
        var target = new ServedClass(service).construct(options, new MetaflowAccess(datastore, Map.of()));
        return new Embedded(service, target, json);
    }

    /** What the service offers: its endpoints, their types and examples. */
    public ServiceDescriptor descriptor() {
        return service.descriptor();
    }

    /** Calls {@code endpoint} with {@code input} (null for an endpoint without a body) and reads its answer. */
    public <O> O call(String endpoint, Object input, Class<O> output) {
        var id = RequestIds.next();
        try {
            var answer = EmbeddedCalls.call(service, target, endpoint, body(input), json);
            return answer == null ? null : json.convertValue(answer, output);
        } catch (Throwable e) {
            throw failed(endpoint, e, id);
        }
    }

    /** Calls a streaming endpoint and reads its items as they come; close the stream to stop it early. */
    public <O> Stream<O> stream(String endpoint, Object input, Class<O> output) {
        var id = RequestIds.next();
        try {
            return EmbeddedCalls.stream(service, target, endpoint, body(input), json)
                    .map(item -> json.convertValue(item, output));
        } catch (Throwable e) {
            throw failed(endpoint, e, id);
        }
    }

    private byte[] body(Object input) throws JsonProcessingException {
        return input == null ? null : json.writeValueAsBytes(input);
    }

    /** The problem a caller over HTTP would have got for this failure. */
    private static CallFailedException failed(String endpoint, Throwable e, String id) {
        if (e instanceof CallRejectedException
                || e instanceof UnknownEndpointException
                || e instanceof BadRequestException
                || e instanceof JsonProcessingException) {
            return new CallFailedException(Problems.of(e, id), e);
        }
        var failure = new HandlerFailedException(endpoint, RequestIds.next(), e);
        return new CallFailedException(Problems.of(failure, id), e);
    }

    @Override
    public void close() {
        if (target instanceof AutoCloseable closing) {
            try {
                closing.close();
            } catch (Exception e) {
                // the service's own close failing leaves nothing for the caller to do
            }
        }
    }
}
