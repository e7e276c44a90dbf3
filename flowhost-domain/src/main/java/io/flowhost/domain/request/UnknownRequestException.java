package io.flowhost.domain.request;

/** No request has this id: it never existed, or it was deleted after its result TTL. */
public final class UnknownRequestException extends RuntimeException {

    /** A failure naming the id. */
    public UnknownRequestException(String id) {
        super("no request '" + id + "' (unknown, or finished longer ago than its result is kept)");
    }
}
