package io.flowhost.sdk;

import java.io.InputStream;

/**
 * Reads the artifacts a service needs, named by a reference such as
 * {@code classpath:model/coefficients.json} (a resource inside the service jar) or
 * {@code file:/models/iris.onnx}.
 */
public interface Artifacts {

    /** Opens the artifact; the caller closes the stream. */
    InputStream open(String reference);

    /** Reads the whole artifact into memory. */
    byte[] bytes(String reference);
}
