package io.flowhost.domain.instance;

/** The instance a call went to did not answer within the request timeout. */
public final class InstanceTimeoutException extends RuntimeException {

    private final String instance;

    public InstanceTimeoutException(String instance, String detail) {
        super(detail, null, false, false);
        this.instance = instance;
    }

    /** The instance's id. */
    public String instance() {
        return instance;
    }
}
