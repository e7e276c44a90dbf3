/**
 * Prediction logging: implement {@link io.flowhost.sdk.predictions.PredictionLogger} and register it
 * with {@link java.util.ServiceLoader} to receive every {@link io.flowhost.sdk.predictions.Prediction}
 * an instance makes (sampled per deployment), for the training feedback loop.
 */
package io.flowhost.sdk.predictions;
