package io.flowhost.server.alerts;

/** One alert's identity: a rule and the service it is about. */
public record AlertKey(String rule, String service) {
}
