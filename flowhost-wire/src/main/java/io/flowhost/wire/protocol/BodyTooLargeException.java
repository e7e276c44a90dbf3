package io.flowhost.wire.protocol;

/** A request body is over the limit of its route. */
public final class BodyTooLargeException extends RuntimeException {

    private final int limit;

    /** @param length the body's declared length, or -1 when it was not declared (chunked) */
    public BodyTooLargeException(long length, int limit) {
        super(
                "the request body" + (length < 0 ? "" : " (" + length + " bytes)") + " is over the limit of " + limit
                        + " bytes; send less, or raise the server's limit (--max-body, or --max-jar for deploys)",
                null,
                false,
                false);
        this.limit = limit;
    }

    /** The limit, in bytes. */
    public int limit() {
        return limit;
    }
}
