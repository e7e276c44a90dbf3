package io.flowhost.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.wire.protocol.StreamFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/** The JSON an async request is shown as: to the caller who polls it, and to its callback. */
public final class RequestView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestView() {}

    /** The request's path on the API. */
    public static String location(String id) {
        return "/v1/requests/" + id;
    }

    /**
     * Its state, times, attempts, its trace id when it was accepted in a trace and, once finished, its result (JSON
     * bodies inline, others as text or base64).
     */
    public static ObjectNode of(AsyncRequest r, Instant now) {
        var node = withoutResult(r, now);
        if (r.result() != null) {
            var result = node.putObject("result");
            result.put("status", r.result().status());
            result.put("contentType", r.result().contentType());
            result.set("body", body(r.result().contentType(), r.result().body()));
        }
        return node;
    }

    /**
     * All of {@link #of} but the result, for listings: a service's list shows every caller's requests, and a result
     * is for the caller who holds the request's id.
     */
    public static ObjectNode withoutResult(AsyncRequest r, Instant now) {
        var node = JSON.createObjectNode();
        node.put("id", r.id());
        node.put("state", r.stateAt(now).name().toLowerCase(Locale.ROOT));
        node.put("service", r.service());
        node.put("endpoint", r.endpoint());
        node.put("deployment", r.deploymentId());
        node.put("location", location(r.id()));
        node.put("requestId", r.requestId());
        if (r.trace() != null) {
            node.put("traceId", r.trace().traceId());
        }
        node.put("acceptedAt", r.acceptedAt().toString());
        put(node, "startedAt", r.startedAt());
        put(node, "finishedAt", r.finishedAt());
        node.put(r.state().isFinal() ? "deleteAt" : "expiresAt", r.expiresAt().toString());
        node.put("attempts", r.attempts());
        node.put("maxAttempts", r.maxAttempts());
        if (r.error() != null) {
            node.put("error", r.error());
        }
        return node;
    }

    private static void put(ObjectNode node, String field, Instant at) {
        if (at != null) {
            node.put(field, at.toString());
        }
    }

    private static JsonNode body(String contentType, byte[] body) {
        if (body.length == 0) {
            return JSON.nullNode();
        }
        if (StreamFormat.ofContentType(contentType) == StreamFormat.JSON_LINES) {
            var items = JSON.createArrayNode(); // a streamed answer, stored whole: its items in order
            try (var lines = JSON.readerFor(JsonNode.class).readValues(body)) {
                while (lines.hasNextValue()) {
                    items.add((JsonNode) lines.nextValue());
                }
                return items;
            } catch (IOException | RuntimeException e) {
                // not JSON Lines after all: fall through to text
            }
        }
        if (contentType != null && contentType.contains("json")) {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                // not JSON after all: fall through to text
            }
        }
        if (contentType != null && contentType.startsWith("text/")) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
        return JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(body));
    }
}
