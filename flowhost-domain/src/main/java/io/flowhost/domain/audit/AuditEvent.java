package io.flowhost.domain.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit trail: a management action, or an attempt the platform refused.
 *
 * @param at when it was decided
 * @param actor the name of the token it came with ({@code ci}), or null when it came with none the server accepted
 * @param source the caller's address ({@code 10.0.0.7}), or null when not known
 * @param action what was asked: {@code deploy}, {@code undeploy}, {@code token.create}, {@code token.revoke},
 *               {@code call} (a call refused at a deployment that asks for a token), or {@code METHOD /path} for
 *               any other refused request
 * @param target what it was asked of: a deployment, a service, a token's name, or a path
 * @param result {@code ok}, {@code refused} (401 or 403: who asked may not) or {@code failed} (it was allowed and
 *               did not happen)
 * @param status the HTTP status answered
 * @param detail why it was refused or failed, in a sentence; null when it went through
 */
public record AuditEvent(
        Instant at,
        String actor,
        String source,
        String action,
        String target,
        String result,
        int status,
        String detail) {

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(result, "result");
    }

    /** The result of an action answered with {@code status}. */
    public static String resultOf(int status) {
        return status < 400 ? "ok" : status == 401 || status == 403 ? "refused" : "failed";
    }
}
