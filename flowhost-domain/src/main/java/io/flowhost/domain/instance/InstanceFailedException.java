package io.flowhost.domain.instance;

/** The instance a call went to closed its connection without answering, or could not be reached at all. */
public final class InstanceFailedException extends RuntimeException {

    private final String instance;

    public InstanceFailedException(String instance, String detail) {
        super(detail, null, false, false);
        this.instance = instance;
    }

    /** The instance's id, or null when none was reached. */
    public String instance() {
        return instance;
    }
}
