package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.ok;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import io.flowhost.domain.access.Scope;
import io.flowhost.domain.settings.Durations;
import io.flowhost.server.access.Guard;
import io.flowhost.server.observe.RecentCalls;
import io.flowhost.wire.protocol.BadRequestException;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the dashboard asks beyond the rest of the API: {@code GET /v1/log} (the request log's last lines, filtered by
 * {@code service}, {@code status} class and {@code since}, and followed with {@code after}) and {@code GET
 * /v1/whoami} (who the caller is and what it may do, so a page shows only the buttons that would work).
 */
final class DashboardApi {

    static final String LOG = "/v1/log";
    static final String WHOAMI = "/v1/whoami";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINES = 1_000;

    private final RecentCalls recent;
    private final Guard guard;
    private final InstantSource clock;

    DashboardApi(RecentCalls recent, Guard guard, InstantSource clock) {
        this.recent = recent;
        this.guard = guard;
        this.clock = clock;
    }

    /** The newest lines that match, newest first, each the request log's own JSON with its {@code seq}. */
    FullHttpResponse log(Map<String, List<String>> query, String requestId) {
        var filter = new RecentCalls.Filter(
                one(query, "service"),
                statusClass(one(query, "status")),
                since(one(query, "since")),
                after(one(query, "after")));
        var view = JSON.createObjectNode();
        view.put("newest", recent.newest());
        view.put("kept", RecentCalls.KEPT);
        var calls = view.putArray("calls");
        for (var line : recent.find(filter, limit(one(query, "limit")))) {
            // the line is already JSON: spliced in with its sequence number first
            calls.addRawValue(
                    new RawValue("{\"seq\":" + line.seq() + "," + line.json().substring(1)));
        }
        return ok(view, requestId);
    }

    /** Who the caller is, and whether it may deploy and administer (the dashboard's buttons). */
    FullHttpResponse whoami(String authorization, String actor, String requestId) {
        var view = JSON.createObjectNode();
        view.put("actor", actor);
        var may = view.putObject("may");
        may.put("read", true);
        may.put("deploy", guard.allows(authorization, Scope.DEPLOY));
        may.put("admin", guard.allows(authorization, Scope.ADMIN));
        return ok(view, requestId);
    }

    private static String one(Map<String, List<String>> query, String key) {
        var values = query.get(key);
        return values == null || values.isEmpty() ? null : values.getLast();
    }

    /** {@code 5xx} or {@code 5}: the hundreds of the status. */
    private static Integer statusClass(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        var t = text.toLowerCase(Locale.ROOT);
        if (t.matches("[1-5](xx)?")) {
            return t.charAt(0) - '0';
        }
        throw new BadRequestException("status '" + text + "' (expected a status class: 2xx, 3xx, 4xx or 5xx)");
    }

    /** An instant ({@code 2026-12-05T20:00:00Z}) or how long ago ({@code 5m}). */
    private Instant since(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(Durations.parse(text));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("since '" + text
                        + "' (expected an instant such as 2026-12-05T20:00:00Z, or how long ago" + " such as 15m)");
            }
        }
    }

    private static long after(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new BadRequestException("after '" + text + "' (expected the seq of a line already shown)");
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return 200;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LINES) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadRequestException("limit '" + text + "' (expected 1.." + MAX_LINES + ")");
    }
}
