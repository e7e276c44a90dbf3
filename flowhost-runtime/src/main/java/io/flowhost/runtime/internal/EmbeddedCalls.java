package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.UnknownEndpointException;
import io.flowhost.wire.protocol.BadRequestException;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The calls of an embedded service ({@code io.flowhost.runtime.Embedded}): its body read by the endpoint's own reader,
 * its method called; a batched endpoint is called with a batch of one (its item's own rejection fails the call alone).
 */
public final class EmbeddedCalls {

    private EmbeddedCalls() {}

    /** The endpoint's answer (null for none): what an instance would have written as JSON. */
    public static Object call(BoundService service, Object target, String name, byte[] body, ObjectMapper json)
            throws Throwable {
        var endpoint = endpoint(service, name);
        if (endpoint.streams()) {
            throw new BadRequestException("endpoint '" + name + "' streams its answer: call stream(...)");
        }
        var input = input(endpoint, body);
        if (endpoint.batched()) {
            var answers = (List<?>) endpoint.call(target, List.of(input));
            var answer = answers.getFirst();
            if (answer instanceof Throwable failed) {
                throw failed;
            }
            return answer;
        }
        return endpoint.call(target, input);
    }

    /** A streaming endpoint's items, pulled as the caller takes them; closing the stream closes the items. */
    public static Stream<Object> stream(
            BoundService service, Object target, String name, byte[] body, ObjectMapper json) throws Throwable {
        var endpoint = endpoint(service, name);
        if (!endpoint.streams()) {
            throw new BadRequestException("endpoint '" + name + "' answers once: call call(...)");
        }
        var items = StreamedItems.of(endpoint.call(target, input(endpoint, body)));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false)
                .onClose(items::close);
    }

    private static EndpointBinding endpoint(BoundService service, String name) {
        var endpoint = service.endpoint(name);
        if (endpoint == null) {
            throw new UnknownEndpointException(
                    "service '" + service.name() + "' has no endpoint '" + name + "'; it has "
                            + service.descriptor().endpoints().stream()
                                    .map(e -> e.name())
                                    .toList());
        }
        return endpoint;
    }

    private static Object input(EndpointBinding endpoint, byte[] body) throws Exception {
        if (!endpoint.takesBody()) {
            return null;
        }
        if (body == null) {
            throw new BadRequestException("endpoint '" + endpoint.name() + "' needs a JSON body ("
                    + endpoint.descriptor().input() + "), not nothing");
        }
        return endpoint.read(new ByteArrayInputStream(body));
    }
}
