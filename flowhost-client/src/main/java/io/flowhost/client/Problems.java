package io.flowhost.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Turns what flowhost answered a failed call with into its exception, and reads {@code Retry-After}. */
final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    /** The exception of a problem+json answer (or, for anything else, of its status and text). */
    static ProblemException of(int status, byte[] body, String requestId) {
        String type = "about:blank";
        String title = "HTTP " + status;
        String detail = new String(body, StandardCharsets.UTF_8);
        String errorId = null;
        try {
            var problem = JSON.readTree(body);
            if (problem != null && problem.isObject() && problem.has("type")) {
                type = problem.path("type").asText();
                title = problem.path("title").asText(title);
                detail = problem.path("detail").asText(detail);
                requestId = problem.path("requestId").asText(requestId);
                errorId =
                        problem.hasNonNull("errorId") ? problem.path("errorId").asText() : null;
            }
        } catch (IOException e) {
            // not JSON (a proxy's page): its text is the detail
        }
        return status >= 500
                ? new FailedException(type, status, title, detail, requestId, errorId)
                : new RejectedException(type, status, title, detail, requestId, errorId);
    }

    /** How long {@code Retry-After} (seconds; an HTTP date is not sent by flowhost) says to wait: 1 s when unsaid. */
    static Duration retryAfter(String header) {
        if (header != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
            } catch (NumberFormatException e) {
                // a date, or nonsense: wait the default
            }
        }
        return Duration.ofSeconds(1);
    }
}
