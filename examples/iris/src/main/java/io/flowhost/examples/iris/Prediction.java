package io.flowhost.examples.iris;

import java.util.Map;

/**
 * The model's answer for one flower.
 *
 * @param species the most likely class
 * @param confidence its probability
 * @param confident whether that probability reaches the model's minimum confidence
 * @param probabilities every class's probability
 */
public record Prediction(String species, double confidence, boolean confident, Map<String, Double> probabilities) {}
