package io.flowhost.domain.request;

/** An async request waited in the queue past its queue TTL and was never run. */
public final class RequestExpiredException extends RuntimeException {

    public RequestExpiredException(String id) {
        super("request " + id + " expired: it waited in the queue longer than its queue-ttl and was never run");
    }
}
