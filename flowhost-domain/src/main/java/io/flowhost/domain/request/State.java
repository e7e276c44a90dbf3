package io.flowhost.domain.request;

/** Where an asynchronous request is in its life: waiting, running, or one of the four final states. */
public enum State {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED;

    /** Whether the request will not change any more (its result, if any, is kept until the result TTL). */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
