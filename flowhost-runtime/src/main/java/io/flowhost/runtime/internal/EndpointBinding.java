package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import io.flowhost.domain.service.ServiceDescriptor.BatchSettings;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.wire.protocol.BadRequestException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;

/**
 * One bound endpoint: how to read its body, and the method to call.
 *
 * @param descriptor what the endpoint looks like from outside
 * @param input the body's type, or null for an endpoint without a body
 * @param reader reads the body into {@code input}, or null
 * @param handle the endpoint method, typed {@code (Object service, Object body) -> Object} or {@code (Object) -> Object}
 * @param returnsNothing the method is {@code void}: the call answers 204
 */
record EndpointBinding(
        EndpointDescriptor descriptor,
        JavaType input,
        ObjectReader reader,
        MethodHandle handle,
        boolean returnsNothing) {

    /** Whether calls are gathered into batches: {@code input} is then one item's type, the method takes a list. */
    boolean batched() {
        return descriptor.batch() != null;
    }

    /** Whether the method returns a stream of answers, sent to the caller as they come. */
    boolean streams() {
        return descriptor.streams();
    }

    /** The endpoint's batching, when {@link #batched()}. */
    BatchSettings batch() {
        return descriptor.batch();
    }

    String name() {
        return descriptor.name();
    }

    boolean takesBody() {
        return input != null;
    }

    /**
     * Reads the body; Jackson's own exceptions say what is wrong and are turned into 400s by {@link BadInput}, and a
     * body in no encoding Jackson can read is a {@link BadRequestException} saying so.
     */
    Object read(InputStream body) throws IOException {
        try {
            return reader.readValue(body);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from leading zero bytes, and then finds characters no encoding has
            throw new BadRequestException("the request body is not JSON in UTF-8: " + e.getMessage());
        }
    }

    /** Calls the method; whatever the handler throws comes out unwrapped. */
    Object call(Object service, Object body) throws Throwable {
        return takesBody() ? handle.invoke(service, body) : handle.invoke(service);
    }
}
