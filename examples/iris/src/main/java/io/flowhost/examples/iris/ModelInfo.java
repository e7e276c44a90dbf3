package io.flowhost.examples.iris;

import java.util.List;

/** What the served model expects and answers, and which training run produced it. */
public record ModelInfo(List<String> features, List<String> classes, double minConfidence, String run) {}
