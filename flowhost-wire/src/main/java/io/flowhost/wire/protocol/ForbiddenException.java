package io.flowhost.wire.protocol;

/**
 * The request is refused whoever sends it this way (a page of another origin, a host name not the server's), or
 * because the token it came with does not allow it.
 */
public final class ForbiddenException extends RuntimeException {

    private final String actor;

    public ForbiddenException(String detail) {
        this(detail, null);
    }

    /** @param actor the name of the token that may not do this, for the audit trail; null when none */
    public ForbiddenException(String detail, String actor) {
        super(detail, null, false, false);
        this.actor = actor;
    }

    /** The name of the token that may not do this, or null. */
    public String actor() {
        return actor;
    }
}
