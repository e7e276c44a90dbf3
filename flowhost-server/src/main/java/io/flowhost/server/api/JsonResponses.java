package io.flowhost.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.wire.netty.Responses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;

/** The management API's JSON answers: views written with Jackson, absent members left out. */
final class JsonResponses {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private JsonResponses() {}

    static FullHttpResponse ok(Object view, String requestId) {
        return json(200, view, requestId);
    }

    static FullHttpResponse json(int status, Object view, String requestId) {
        try {
            return Responses.response(
                    status, Responses.JSON, Unpooled.wrappedBuffer(JSON.writeValueAsBytes(view)), requestId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
