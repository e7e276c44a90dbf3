package io.flowhost.runtime.predictions;

import java.nio.file.Path;

/**
 * How an instance logs its predictions; checked when built, so a wrong value stops the instance at
 * start with the option, the value and what was expected.
 *
 * @param deployment the deployment named in each prediction ({@code {service}-v{n}}), or null for the service's name
 * @param sampleRate the share of calls logged, 0..1; 1 (the default) logs every call once a logger exists,
 *                   0 none, 0.1 about one in ten, each call drawn independently
 * @param logDir where the JSON Lines sink writes, or null for no such sink (loggers found through
 *               {@link java.util.ServiceLoader} still get the predictions)
 * @param bufferCapacity the most predictions waiting for the loggers (default 10,000); a prediction that
 *                       finds the buffer full is dropped and counted, so that a slow logger never slows a call
 */
public record PredictionSettings(String deployment, double sampleRate, Path logDir, int bufferCapacity) {

    /** Every call is logged unless a rate is given. */
    public static final double DEFAULT_SAMPLE_RATE = 1.0;

    /** 10,000 predictions: a few seconds of a busy instance's calls, some tens of MB at most. */
    public static final int DEFAULT_BUFFER_CAPACITY = 10_000;

    /** Checks the rate and the capacity. */
    public PredictionSettings {
        // Written negated so that NaN fails too.
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException(
                    "--prediction-sample-rate: " + sampleRate + " (expected: 0..1, the share of calls logged)");
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException(
                    "prediction buffer capacity: " + bufferCapacity + " (expected: >= 1 prediction)");
        }
        if (deployment != null && deployment.isBlank()) {
            deployment = null;
        }
    }

    /** Logging to no directory at the default rate and capacity: only loggers found through ServiceLoader, if any. */
    public static PredictionSettings defaults() {
        return new PredictionSettings(null, DEFAULT_SAMPLE_RATE, null, DEFAULT_BUFFER_CAPACITY);
    }

    /** These settings naming another deployment. */
    public PredictionSettings withDeployment(String newDeployment) {
        return new PredictionSettings(newDeployment, sampleRate, logDir, bufferCapacity);
    }

    /** These settings with another sampling rate. */
    public PredictionSettings withSampleRate(double newRate) {
        return new PredictionSettings(deployment, newRate, logDir, bufferCapacity);
    }

    /** These settings writing JSON Lines files under another directory (null for none). */
    public PredictionSettings withLogDir(Path newDir) {
        return new PredictionSettings(deployment, sampleRate, newDir, bufferCapacity);
    }

    /** These settings with another buffer capacity. */
    public PredictionSettings withBufferCapacity(int newCapacity) {
        return new PredictionSettings(deployment, sampleRate, logDir, newCapacity);
    }
}
