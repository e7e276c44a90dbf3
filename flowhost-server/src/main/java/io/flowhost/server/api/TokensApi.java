package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.json;
import static io.flowhost.server.api.JsonResponses.ok;
import static io.flowhost.server.api.Routes.allow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.domain.access.TokenSpec;
import io.flowhost.domain.request.RequestStateException;
import io.flowhost.state.TokenNameTakenException;
import io.flowhost.state.TokenStore;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The tokens' routes, answered by any gateway (the tokens are in the shared state): {@code POST /v1/tokens}
 * ({@code {"name": "ci", "scope": "deploy", "expires": "30d"}}; the answer holds the token, shown this once),
 * {@code GET /v1/tokens} and {@code DELETE /v1/tokens/{name}}.
 */
final class TokensApi {

    static final String PREFIX = "/v1/tokens";

    /** A token as listed: never its hash. */
    record TokenView(String name, String scope, String createdAt, String expiresAt, String rate) {
        static TokenView of(ApiToken t) {
            return new TokenView(
                    t.name(),
                    t.scope().toString(),
                    t.createdAt().toString(),
                    t.expiresAt() == null ? null : t.expiresAt().toString(),
                    t.rate() == null ? null : t.rate().toString());
        }
    }

    /** A token just made: the token itself, this once. */
    record IssuedView(String name, String scope, String createdAt, String expiresAt, String rate, String token) {}

    record TokensView(List<TokenView> tokens) {}

    private final TokenStore tokens;
    private final Runnable changed;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper();

    /** @param changed told when a token is made or revoked through this gateway */
    TokensApi(TokenStore tokens, Runnable changed, InstantSource clock) {
        this.tokens = tokens;
        this.changed = changed;
        this.clock = clock;
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    FullHttpResponse handle(HttpMethod method, String path, byte[] body, String requestId) {
        if (path.equals(PREFIX)) {
            allow(method, path, HttpMethod.GET, HttpMethod.POST);
            return method.equals(HttpMethod.POST) ? create(body, requestId) : list(requestId);
        }
        allow(method, path, HttpMethod.DELETE);
        var name = path.substring(PREFIX.length() + 1);
        if (!tokens.revoke(name)) {
            throw new NoRouteException("no token named '" + name + "' (flowhost tokens list shows them)");
        }
        changed.run();
        return ok(Map.of("revoked", name), requestId);
    }

    private FullHttpResponse create(byte[] body, String requestId) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new BadRequestException("the body is not JSON: send {\"name\": \"ci\", \"scope\": \"deploy\"}");
        }
        if (request == null
                || !request.path("name").isTextual()
                || !request.path("scope").isTextual()) {
            throw new BadRequestException("a token needs a name and a scope: {\"name\": \"ci\", \"scope\": \"deploy\""
                    + ", \"expires\": \"30d\", \"rate\": \"100/s\", \"burst\": \"200\"}, scope one of admin,"
                    + " deploy, read, invoke:SERVICE");
        }
        TokenSecrets.Issued issued;
        try {
            issued = new TokenSpec(
                            request.path("name").asText(),
                            request.path("scope").asText(),
                            text(request, "expires"),
                            text(request, "rate"),
                            text(request, "burst"))
                    .issue(clock.instant());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        try {
            tokens.add(issued.kept());
        } catch (TokenNameTakenException e) {
            throw new RequestStateException(e.getMessage(), "exists");
        }
        changed.run();
        var kept = TokenView.of(issued.kept());
        return json(
                201,
                new IssuedView(
                        kept.name(), kept.scope(), kept.createdAt(), kept.expiresAt(), kept.rate(), issued.token()),
                requestId);
    }

    /** A member given as text or as a number ({@code "burst": 200}), or null. */
    private static String text(JsonNode request, String member) {
        var value = request.path(member);
        return value.isTextual() || value.isNumber() ? value.asText() : null;
    }

    private FullHttpResponse list(String requestId) {
        return ok(new TokensView(tokens.list().stream().map(TokenView::of).toList()), requestId);
    }
}
