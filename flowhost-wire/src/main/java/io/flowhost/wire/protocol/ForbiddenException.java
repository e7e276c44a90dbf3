package io.flowhost.wire.protocol;

/** The request is refused whoever sends it this way: a page of another origin, a host name not the server's. */
public final class ForbiddenException extends RuntimeException {

    public ForbiddenException(String detail) {
        super(detail, null, false, false);
    }
}
