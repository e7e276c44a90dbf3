package io.flowhost.domain.service;

/** A call to the Open Inference Protocol named a model that no deployment serves. */
public final class UnknownModelException extends RuntimeException {

    private final String model;

    public UnknownModelException(String model) {
        super(
                "no model '" + model + "' is deployed; /v2/models serves the models deployed with"
                        + " 'flowhost deploy --onnx <reference> --name <name>'",
                null,
                false,
                false);
        this.model = model;
    }

    /** The name the caller gave. */
    public String model() {
        return model;
    }
}
