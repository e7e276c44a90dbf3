package io.flowhost.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.async.RequestView;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.State;
import io.flowhost.domain.settings.Durations;
import io.flowhost.state.sqlite.RequestStore;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.ProblemType;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The async requests' routes: {@code GET /v1/requests/{id}[?wait=30s]} (state, and the result when
 * done; long-polls), {@code GET /v1/requests/{id}/result} (the endpoint's own answer),
 * {@code DELETE /v1/requests/{id}} (cancel a queued one) and {@code GET /v1/requests?service=...}.
 */
final class RequestsApi {

    static final String PREFIX = "/v1/requests";
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final RequestStore store;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper();

    RequestsApi(RequestStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    FullHttpResponse handle(HttpMethod method, String path, Map<String, List<String>> query, String requestId) {
        if (path.equals(PREFIX)) {
            ManagementApi.allow(method, path, requestId, HttpMethod.GET);
            return list(query, requestId);
        }
        var rest = path.substring(PREFIX.length() + 1);
        if (rest.endsWith("/result")) {
            ManagementApi.allow(method, path, requestId, HttpMethod.GET);
            return result(rest.substring(0, rest.length() - "/result".length()), requestId);
        }
        if (rest.contains("/")) {
            throw new ManagementApi.ApiProblem(Problem.of(ProblemType.NOT_FOUND, "no route " + path, requestId));
        }
        ManagementApi.allow(method, path, requestId, HttpMethod.GET, HttpMethod.DELETE);
        return method.equals(HttpMethod.DELETE) ? cancel(rest, requestId) : get(rest, query, requestId);
    }

    private FullHttpResponse get(String id, Map<String, List<String>> query, String requestId) {
        var request = find(id, requestId);
        var wait = query.getOrDefault("wait", List.of()).stream().findFirst().map(w -> wait(w, requestId));
        if (wait.isPresent() && !request.state().isFinal()) {
            try {
                request = store.whenFinished(id).get(wait.get().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                request = find(id, requestId); // still going: answer with where it is now
            } catch (ExecutionException e) {
                request = find(id, requestId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return json(200, RequestView.of(request, clock.instant()), requestId);
    }

    private FullHttpResponse result(String id, String requestId) {
        var request = find(id, requestId);
        if (request.result() == null) {
            var state = request.stateAt(clock.instant()).name().toLowerCase(Locale.ROOT);
            throw new ManagementApi.ApiProblem(Problem.of(
                            ProblemType.CONFLICT,
                            "request " + id + " is " + state
                                    + " and has no result"
                                    + (request.state().isFinal()
                                            ? ""
                                            : " yet; GET " + RequestView.location(id) + "?wait=30s waits for it"),
                            requestId)
                    .with("state", state));
        }
        var r = request.result();
        var response = Responses.response(
                r.status(),
                r.contentType() == null ? "application/octet-stream" : r.contentType(),
                Unpooled.wrappedBuffer(r.body()),
                requestId);
        response.headers().set("Flowhost-Request-State", request.state().name().toLowerCase(Locale.ROOT));
        return response;
    }

    private FullHttpResponse cancel(String id, String requestId) {
        find(id, requestId);
        var after = store.cancel(id, clock.instant()).orElseThrow(() -> gone(id, requestId));
        if (after.state() != State.CANCELLED) {
            var state = after.stateAt(clock.instant()).name().toLowerCase(Locale.ROOT);
            throw new ManagementApi.ApiProblem(Problem.of(
                            ProblemType.CONFLICT,
                            "request " + id + " is " + state + ": only a queued request can be cancelled",
                            requestId)
                    .with("state", state));
        }
        return json(200, RequestView.of(after, clock.instant()), requestId);
    }

    private FullHttpResponse list(Map<String, List<String>> query, String requestId) {
        var service = query.getOrDefault("service", List.of()).stream()
                .findFirst()
                .orElseThrow(() -> new ManagementApi.ApiProblem(Problem.of(
                        ProblemType.BAD_REQUEST,
                        "GET " + PREFIX + " needs ?service=<name> "
                                + "(and optionally &state=queued,running,...&limit=100)",
                        requestId)));
        var states = EnumSet.noneOf(State.class);
        for (var value : query.getOrDefault("state", List.of())) {
            for (var name : value.split(",")) {
                try {
                    states.add(State.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ManagementApi.ApiProblem(Problem.of(
                            ProblemType.BAD_REQUEST,
                            "state '" + name + "' (expected "
                                    + "one of queued, running, succeeded, failed, cancelled, expired)",
                            requestId));
                }
            }
        }
        int limit = query.getOrDefault("limit", List.of("100")).stream()
                .findFirst()
                .map(l -> {
                    try {
                        return Math.max(1, Math.min(1000, Integer.parseInt(l)));
                    } catch (NumberFormatException e) {
                        throw new ManagementApi.ApiProblem(
                                Problem.of(ProblemType.BAD_REQUEST, "limit '" + l + "' (expected 1..1000)", requestId));
                    }
                })
                .orElse(100);
        var now = clock.instant();
        var views = store.list(service, states.isEmpty() ? EnumSet.allOf(State.class) : states, limit).stream()
                .map(r -> RequestView.of(r, now))
                .toList();
        return json(200, Map.of("requests", views), requestId);
    }

    private AsyncRequest find(String id, String requestId) {
        var now = clock.instant();
        Optional<AsyncRequest> found = store.get(id).filter(r -> !r.isGoneAt(now));
        var request = found.orElseThrow(() -> new ManagementApi.ApiProblem(Problem.of(
                ProblemType.NOT_FOUND,
                "no request '" + id + "' (unknown, or finished longer ago than its result is kept)",
                requestId)));
        if (request.stateAt(now) == State.EXPIRED) {
            throw gone(id, requestId);
        }
        return request;
    }

    private static ManagementApi.ApiProblem gone(String id, String requestId) {
        return new ManagementApi.ApiProblem(Problem.of(
                        ProblemType.NOT_FOUND,
                        "request " + id + " expired: it waited in "
                                + "the queue longer than its queue-ttl and was never run",
                        requestId)
                .withStatus(410));
    }

    private static Duration wait(String text, String requestId) {
        try {
            var d = Durations.parse(text);
            return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
        } catch (IllegalArgumentException e) {
            throw new ManagementApi.ApiProblem(Problem.of(
                    ProblemType.BAD_REQUEST,
                    "wait '" + text + "' (expected a " + "duration such as 30s, at most 60s)",
                    requestId));
        }
    }

    private FullHttpResponse json(int status, Object body, String requestId) {
        try {
            return Responses.response(
                    status, Responses.JSON, Unpooled.wrappedBuffer(json.writeValueAsBytes(body)), requestId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
