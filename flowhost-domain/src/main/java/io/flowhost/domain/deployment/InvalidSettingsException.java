package io.flowhost.domain.deployment;

/** A deployment's settings are invalid; the message names the key, the value and what is allowed. */
public final class InvalidSettingsException extends Exception {

    public InvalidSettingsException(String message) {
        super(message);
    }
}
