package io.flowhost.server.queue;

/**
 * What {@link RequestStore#submit} accepted.
 *
 * @param request   the stored request: the new one, or the earlier one with the same idempotency key
 * @param duplicate whether the idempotency key had been used already, so nothing new was stored
 */
public record Submitted(AsyncRequest request, boolean duplicate) {
}
