package io.flowhost.gateway;

import io.flowhost.wire.protocol.Wire;
import java.nio.charset.StandardCharsets;

/**
 * The path of a call the gateway carries to instances, read once: an endpoint of a service
 * ({@code /v1/services/{service}/{endpoint}}) or a route of an ONNX model under the Open Inference
 * Protocol ({@code /v2/models/{model}[/ready|/infer]}).
 *
 * @param model whether it is a model's route rather than a service's endpoint
 * @param service the service or model named
 * @param endpoint the endpoint; for a model {@code metadata}, {@code ready} or {@code infer} (or what was asked)
 * @param path the path without its query
 * @param asyncQuery whether the query asks for {@code async=true}
 */
public record CallPath(boolean model, String service, String endpoint, String path, boolean asyncQuery) {

    private static final String OPENAPI = "/openapi.json";
    private static final String DOCS = "/docs";

    /** The Open Inference Protocol's per-model prefix. */
    public static final String MODELS_PREFIX = "/v2/models/";

    /** The path of a call to an instance, or null for anything else (management, probes, metrics). */
    public static CallPath parse(String uri) {
        int query = uri.indexOf('?');
        var path = utf8(query < 0 ? uri : uri.substring(0, query));
        if (path.startsWith(Wire.SERVICES_PREFIX)) {
            int slash = path.indexOf('/', Wire.SERVICES_PREFIX.length());
            if (slash <= Wire.SERVICES_PREFIX.length()
                    || slash == path.length() - 1
                    || path.indexOf('/', slash + 1) >= 0
                    || path.endsWith(OPENAPI) // a service's OpenAPI document: no endpoint's name has a dot
                    || path.endsWith(DOCS)) { // its docs page: no endpoint may be named so
                return null;
            }
            return new CallPath(
                    false,
                    path.substring(Wire.SERVICES_PREFIX.length(), slash),
                    path.substring(slash + 1),
                    path,
                    query >= 0 && asksAsync(uri.substring(query + 1)));
        }
        if (path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
            int slash = path.indexOf('/', MODELS_PREFIX.length());
            var name = path.substring(MODELS_PREFIX.length(), slash < 0 ? path.length() : slash);
            return new CallPath(true, name, slash < 0 ? "metadata" : path.substring(slash + 1), path, false);
        }
        return null;
    }

    /**
     * The path as the caller wrote it: HTTP/1.1 reads the request line byte by byte, so a name sent as raw UTF-8
     * (not percent-encoded) arrives as one char per byte; it is decoded once here, so that the request log and
     * every message show the name, not its bytes. ASCII, nearly every path, is returned as it is.
     */
    private static String utf8(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) >= 0x80) {
                return new String(path.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return path;
    }

    /** {@code async=true} among the query's parameters. */
    private static boolean asksAsync(String query) {
        for (var parameter : query.split("&")) {
            if (parameter.equals("async=true")) {
                return true;
            }
        }
        return false;
    }
}
