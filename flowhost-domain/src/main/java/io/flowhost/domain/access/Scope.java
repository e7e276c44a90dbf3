package io.flowhost.domain.access;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a token may do: {@code admin} everything; {@code deploy} deploy, undeploy and read; {@code read} look at the
 * management API and metrics; {@code invoke:SERVICE} call that one service.
 *
 * @param kind the kind of access
 * @param service the service an {@code invoke} scope is for; null for the others
 */
public record Scope(Kind kind, String service) {

    /** The kinds of access, widest first. */
    public enum Kind {
        ADMIN,
        DEPLOY,
        READ,
        INVOKE
    }

    private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** Everything. */
    public static final Scope ADMIN = new Scope(Kind.ADMIN, null);

    /** Deploying, undeploying, and what {@link #READ} allows. */
    public static final Scope DEPLOY = new Scope(Kind.DEPLOY, null);

    /** Looking: deployments, status, requests, alerts, logs, metrics. */
    public static final Scope READ = new Scope(Kind.READ, null);

    public Scope {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.INVOKE) != (service != null)) {
            throw new IllegalArgumentException("a service goes with an invoke scope, and only with one");
        }
    }

    /** Calling {@code service}. */
    public static Scope invoke(String service) {
        return new Scope(Kind.INVOKE, service);
    }

    /** {@code admin}, {@code deploy}, {@code read} or {@code invoke:SERVICE}, as a person writes it. */
    public static Scope parse(String text) {
        var written = text == null ? "" : text.trim();
        var lower = written.toLowerCase(Locale.ROOT);
        if (lower.startsWith("invoke:")) {
            var service = written.substring("invoke:".length());
            if (!SERVICE.matcher(service).matches()) {
                throw new IllegalArgumentException("scope '" + written + "': '" + service
                        + "' is not a service name (lower-case letters, digits and '-')");
            }
            return invoke(service);
        }
        return switch (lower) {
            case "admin" -> ADMIN;
            case "deploy" -> DEPLOY;
            case "read" -> READ;
            default ->
                throw new IllegalArgumentException(
                        "scope '" + written + "' (expected admin, deploy, read or invoke:SERVICE)");
        };
    }

    /** Whether a token of this scope may do what {@code needed} allows. */
    public boolean grants(Scope needed) {
        return switch (kind) {
            case ADMIN -> true;
            case DEPLOY -> needed.kind == Kind.DEPLOY || needed.kind == Kind.READ;
            case READ -> needed.kind == Kind.READ;
            case INVOKE -> equals(needed);
        };
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return kind == Kind.INVOKE ? "invoke:" + service : kind.name().toLowerCase(Locale.ROOT);
    }
}
