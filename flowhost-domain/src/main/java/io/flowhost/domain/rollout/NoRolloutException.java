package io.flowhost.domain.rollout;

/** A rollout command for a service with no canary or shadow rolling out beside its primary. */
public final class NoRolloutException extends RuntimeException {

    public NoRolloutException(String service) {
        super("service '" + service + "' has no canary or shadow rolling out: deploy one beside it first, e.g."
                + " flowhost deploy app.jar --canary 10");
    }
}
