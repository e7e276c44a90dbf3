package io.flowhost.metaflow.pickle;

import java.io.IOException;

/** Output passed the limit of a {@link LimitedOutputStream}; what fitted was written, the rest was not. */
public final class OutputLimitException extends IOException {

    private final long limit;

    OutputLimitException(long limit) {
        super("the output passed its limit of " + limit + " bytes, where it was stopped");
        this.limit = limit;
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }
}
