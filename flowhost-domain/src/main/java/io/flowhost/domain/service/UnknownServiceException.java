package io.flowhost.domain.service;

/** A call named a service that no deployment serves. */
public final class UnknownServiceException extends RuntimeException {

    private final String service;

    /** At the gateway: no deployment serves it. */
    public UnknownServiceException(String service) {
        this(service, "no service '" + service + "' is deployed; GET /v1/services lists the services");
    }

    /** With a detail of the caller's own, e.g. an instance naming the service it does serve. */
    public UnknownServiceException(String service, String detail) {
        super(detail, null, false, false);
        this.service = service;
    }

    /** The name the caller gave. */
    public String service() {
        return service;
    }
}
