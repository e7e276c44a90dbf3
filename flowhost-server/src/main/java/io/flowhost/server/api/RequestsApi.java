package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.json;

import io.flowhost.async.RequestView;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.RequestExpiredException;
import io.flowhost.domain.request.RequestStateException;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.UnknownRequestException;
import io.flowhost.domain.settings.Durations;
import io.flowhost.state.RequestStore;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The async requests' routes: {@code GET /v1/requests/{id}[?wait=30s]} (state, and the result when
 * done; long-polls), {@code GET /v1/requests/{id}/result} (the endpoint's own answer),
 * {@code DELETE /v1/requests/{id}} (cancel a queued one) and {@code GET /v1/requests?service=...} (a service's
 * requests, without their results unless {@code &results=true}: a listing shows every caller's requests).
 */
final class RequestsApi {

    static final String PREFIX = "/v1/requests";
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final RequestStore store;
    private final InstantSource clock;

    RequestsApi(RequestStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    FullHttpResponse handle(HttpMethod method, String path, Map<String, List<String>> query, String requestId) {
        if (path.equals(PREFIX)) {
            Routes.allow(method, path, HttpMethod.GET);
            return list(query, requestId);
        }
        var rest = path.substring(PREFIX.length() + 1);
        if (rest.endsWith("/result")) {
            Routes.allow(method, path, HttpMethod.GET);
            return result(rest.substring(0, rest.length() - "/result".length()), requestId);
        }
        if (rest.contains("/")) {
            throw new NoRouteException("no route " + path);
        }
        Routes.allow(method, path, HttpMethod.GET, HttpMethod.DELETE);
        return method.equals(HttpMethod.DELETE) ? cancel(rest, requestId) : get(rest, query, requestId);
    }

    private FullHttpResponse get(String id, Map<String, List<String>> query, String requestId) {
        var request = find(id);
        var wait = query.getOrDefault("wait", List.of()).stream().findFirst().map(RequestsApi::waitOf);
        if (wait.isPresent() && !request.state().isFinal()) {
            var finished = store.whenFinished(id);
            try {
                request = finished.get(wait.get().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                request = find(id); // still going (or gone meanwhile): answer with where it is now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // A timed-out get leaves the future pending: the store would keep it until the request finishes,
                // hours later for a long queue; cancelled, the store forgets it now.
                finished.cancel(false);
            }
        }
        return json(200, RequestView.of(request, clock.instant()), requestId);
    }

    private FullHttpResponse result(String id, String requestId) {
        var request = find(id);
        if (request.result() == null) {
            var state = stateOf(request);
            throw new RequestStateException(
                    "request " + id + " is " + state + " and has no result"
                            + (request.state().isFinal()
                                    ? ""
                                    : " yet; GET " + RequestView.location(id) + "?wait=30s waits for it"),
                    state);
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
        find(id);
        var after = store.cancel(id, clock.instant()).orElseThrow(() -> new RequestExpiredException(id));
        if (after.state() != State.CANCELLED) {
            var state = stateOf(after);
            throw new RequestStateException(
                    "request " + id + " is " + state + ": only a queued request can be cancelled", state);
        }
        return json(200, RequestView.of(after, clock.instant()), requestId);
    }

    private FullHttpResponse list(Map<String, List<String>> query, String requestId) {
        var service = query.getOrDefault("service", List.of()).stream()
                .findFirst()
                .orElseThrow(() -> new BadRequestException("GET " + PREFIX
                        + " needs ?service=<name> (and optionally &state=queued,running,...&limit=100&results=true)"));
        var states = EnumSet.noneOf(State.class);
        for (var value : query.getOrDefault("state", List.of())) {
            for (var name : value.split(",")) {
                try {
                    states.add(State.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("state '" + name
                            + "' (expected one of queued, running, succeeded, failed, cancelled, expired)");
                }
            }
        }
        int limit = query.getOrDefault("limit", List.of("100")).stream()
                .findFirst()
                .map(RequestsApi::limitOf)
                .orElse(100);
        boolean results = query.getOrDefault("results", List.of("false")).stream()
                .findFirst()
                .map(RequestsApi::resultsOf)
                .orElse(false);
        var now = clock.instant();
        var views = store.list(service, states.isEmpty() ? EnumSet.allOf(State.class) : states, limit).stream()
                .map(r -> results ? RequestView.of(r, now) : RequestView.withoutResult(r, now))
                .toList();
        return json(200, Map.of("requests", views), requestId);
    }

    /** The request as the caller may see it: unknown once past its result TTL, 410 once expired. */
    private AsyncRequest find(String id) {
        var now = clock.instant();
        var request = store.get(id).filter(r -> !r.isGoneAt(now)).orElseThrow(() -> new UnknownRequestException(id));
        if (request.stateAt(now) == State.EXPIRED) {
            throw new RequestExpiredException(id);
        }
        return request;
    }

    private String stateOf(AsyncRequest request) {
        return request.stateAt(clock.instant()).name().toLowerCase(Locale.ROOT);
    }

    private static Duration waitOf(String text) {
        try {
            var d = Durations.parse(text);
            return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
        } catch (IllegalArgumentException e) { // not a duration, or more than a Duration holds (9999999999999999h)
            throw new BadRequestException("wait: " + e.getMessage() + "; a wait is at most 60s");
        }
    }

    private static boolean resultsOf(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException("results '" + text + "' (expected true or false)");
        };
    }

    private static int limitOf(String text) {
        try {
            return Math.max(1, Math.min(1000, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit '" + text + "' (expected 1..1000)");
        }
    }
}
