package io.flowhost.wire.protocol;

/** Nothing answers at the path the caller asked for. */
public final class NoRouteException extends RuntimeException {

    public NoRouteException(String detail) {
        super(detail, null, false, false);
    }
}
