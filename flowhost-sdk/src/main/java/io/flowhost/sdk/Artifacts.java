package io.flowhost.sdk;

import java.io.InputStream;

/**
 * Reads the artifacts a service needs, named by a reference:
 * <ul>
 *   <li>{@code metaflow://IrisFlow/latest/end/model} — an artifact of a Metaflow run ({@code latest} is
 *       the latest successful run, optionally {@code ?tag=...}; a run id names one run). A deployment
 *       resolves {@code latest} once, so every instance of it loads the same run;</li>
 *   <li>{@code classpath:model/coefficients.json} — a resource inside the service jar;</li>
 *   <li>{@code file:/models/iris.onnx} — a local file.</li>
 * </ul>
 */
public interface Artifacts {

    /**
     * The artifact's value. A Metaflow artifact comes as Java values: None is null, bool a Boolean,
     * int a Long (BigInteger when larger), float a Double, str a String, bytes a byte[], list a List,
     * dict a Map (insertion order kept); other references give their bytes.
     */
    Object value(String reference);

    /** The artifact's bytes: a Metaflow {@code bytes} artifact (a serialized model), a resource or a file. */
    byte[] bytes(String reference);

    /**
     * The reference as this deployment reads it: {@code metaflow://IrisFlow/latest/end/model} becomes
     * {@code metaflow://IrisFlow/1795691852170532/end/model}, the run it is pinned to; others come back as given.
     */
    String resolve(String reference);

    /** Opens the artifact's bytes as a stream; the caller closes it. */
    InputStream open(String reference);
}
