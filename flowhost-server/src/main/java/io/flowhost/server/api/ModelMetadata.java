package io.flowhost.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.gateway.RouteTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An ONNX model's metadata (its tensors' names, datatypes and shapes), asked of one of its ready instances, for the
 * OpenAPI documents, and kept: a deployment's model never changes, so a model scaled to zero since (the default once
 * idle) is still described. Null when none has been ready since this gateway started (a model at zero is not woken
 * for a document) or it does not say.
 */
final class ModelMetadata implements Function<Deployment, JsonNode> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final RouteTable routes;
    /** By deployment id: one small document per ONNX deployment this gateway has described. */
    private final Map<String, JsonNode> known = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    ModelMetadata(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public JsonNode apply(Deployment deployment) {
        if (!deployment.servesOnnx()) {
            return null;
        }
        var seen = known.get(deployment.id());
        if (seen != null) {
            return seen;
        }
        var metadata = ask(deployment);
        if (metadata != null) {
            known.put(deployment.id(), metadata);
        }
        return metadata;
    }

    private JsonNode ask(Deployment deployment) {
        var backends = routes.traffic(deployment.id()).map(t -> t.backends()).orElse(List.of());
        if (backends.isEmpty()) {
            return null;
        }
        var address = backends.getFirst().address();
        var uri = URI.create(
                "http://" + address.getHostString() + ":" + address.getPort() + "/v2/models/" + deployment.service());
        try {
            var answer = http.send(
                    HttpRequest.newBuilder(uri).timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
        } catch (IOException e) {
            return null; // the document then says to ask the metadata route
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
