package io.flowhost.domain.request;

import java.util.Arrays;
import java.util.Objects;

/**
 * The endpoint's own answer to an asynchronous request, kept so the caller can fetch it later.
 *
 * <p>The body is not copied: hand over an array that nobody changes afterwards.
 *
 * @param status      the HTTP status the endpoint answered with
 * @param contentType its content type, or null when it sent none
 * @param body        its body, empty when it sent none
 */
public record Result(int status, String contentType, byte[] body) {

    /** Checks that the status is an HTTP status and the body is there. */
    public Result {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        Objects.requireNonNull(body, "body");
    }

    /** Whether the endpoint answered 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Equal when status, content type and body bytes are equal (records compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Result r
                && status == r.status
                && Objects.equals(contentType, r.contentType)
                && Arrays.equals(body, r.body);
    }

    /** A hash over status, content type and body bytes, matching {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, Arrays.hashCode(body));
    }

    /** The status, content type and body size; bodies can be megabytes and are left out. */
    @Override
    public String toString() {
        return "Result[" + status + " " + contentType + ", " + body.length + " bytes]";
    }
}
