package io.flowhost.domain.service;

/** A service class that flowhost cannot serve; the message names the class, the method and the fix. */
public final class ServiceDefinitionException extends Exception {

    public ServiceDefinitionException(String message) {
        super(message);
    }

    public ServiceDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
