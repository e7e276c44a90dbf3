package io.flowhost.runtime.predictions;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the loggers an instance's predictions go to: each one registered for {@link ServiceLoader}
 * (in the service jar or on the platform's class path), and the JSON Lines sink when a directory is given.
 */
public final class PredictionLoggers {

    private PredictionLoggers() {}

    /** The configured loggers, constructed; a registered logger that cannot be constructed stops the instance's start. */
    public static List<PredictionLogger> configured(PredictionSettings settings, ClassLoader loader)
            throws ServiceDefinitionException {
        var loggers = new ArrayList<PredictionLogger>();
        try {
            // A misconfigured sink fails loudly at start rather than losing predictions in silence.
            for (var logger : ServiceLoader.load(PredictionLogger.class, loader)) {
                loggers.add(logger);
            }
        } catch (ServiceConfigurationError | RuntimeException e) {
            loggers.forEach(PredictionLogger::close);
            throw new ServiceDefinitionException(
                    "cannot load a prediction logger registered in META-INF/services/"
                            + PredictionLogger.class.getName() + ": " + e.getMessage(),
                    e);
        }
        if (settings.logDir() != null) {
            try {
                loggers.add(new JsonLinesPredictionLogger(settings.logDir()));
            } catch (IOException | RuntimeException e) {
                loggers.forEach(PredictionLogger::close);
                throw new ServiceDefinitionException(
                        "--prediction-log-dir: cannot write to " + settings.logDir() + ": " + e, e);
            }
        }
        return loggers;
    }
}
