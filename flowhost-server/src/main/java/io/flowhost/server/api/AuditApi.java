package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.ok;

import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.domain.settings.Durations;
import io.flowhost.server.audit.AuditTrail;
import io.flowhost.wire.protocol.BadRequestException;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/audit?since=1h&limit=1000}: the audit trail every gateway on the state recorded, oldest first. */
final class AuditApi {

    static final String PATH = "/v1/audit";

    private static final int MAX = 10_000;

    /** One event as listed. */
    record EventView(
            String time,
            String actor,
            String source,
            String action,
            String target,
            String result,
            int status,
            String detail) {
        static EventView of(AuditEvent e) {
            return new EventView(
                    e.at().toString(),
                    e.actor(),
                    e.source(),
                    e.action(),
                    e.target(),
                    e.result(),
                    e.status(),
                    e.detail());
        }
    }

    record EventsView(String since, List<EventView> events) {}

    private final AuditTrail trail;
    private final InstantSource clock;

    AuditApi(AuditTrail trail, InstantSource clock) {
        this.trail = trail;
        this.clock = clock;
    }

    FullHttpResponse since(Map<String, List<String>> query, String requestId) {
        var since = sinceOf(query.getOrDefault("since", List.of("24h")).getLast());
        int limit = limitOf(query.getOrDefault("limit", List.of("1000")).getLast());
        var events = trail.since(since, limit).stream().map(EventView::of).toList();
        return ok(new EventsView(since.toString(), events), requestId);
    }

    /** A duration back from now ({@code 1h}, {@code 7d}) or an instant ({@code 2026-12-05T10:00:00Z}). */
    private Instant sinceOf(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration back = text.endsWith("d")
                        ? Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)))
                        : Durations.parse(text);
                return clock.instant().minus(back);
            } catch (RuntimeException e) {
                throw new BadRequestException("since '" + text
                        + "' (expected how long back, such as 1h or 7d, or an instant such as 2026-12-05T10:00:00Z)");
            }
        }
    }

    private static int limitOf(String text) {
        try {
            return Math.max(1, Math.min(MAX, Integer.parseInt(text)));
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit '" + text + "' (expected 1.." + MAX + ")");
        }
    }
}
