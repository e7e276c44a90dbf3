package io.flowhost.examples.iris;

import java.util.List;

/** Several flowers to classify in one call. */
public record Batch(List<Features> flowers) {}
