package io.flowhost.state;

/**
 * A write that only the leader may make came from a server whose term is over: another server took the lease (this
 * one was paused or cut off past it). Nothing was written; the server must stop acting as the leader.
 */
public final class NotLeaderException extends RuntimeException {

    public NotLeaderException(String message) {
        super(message);
    }
}
