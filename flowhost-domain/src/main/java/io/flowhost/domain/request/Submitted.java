package io.flowhost.domain.request;

/**
 * What the request store accepted for a submission.
 *
 * @param request   the stored request: the new one, or the earlier one with the same idempotency key
 * @param duplicate whether the idempotency key had been used already, so nothing new was stored
 */
public record Submitted(AsyncRequest request, boolean duplicate) {}
