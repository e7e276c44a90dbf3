package io.flowhost.alerts;

/** One alert's identity: a rule and the service it is about. */
public record AlertKey(String rule, String service) {}
