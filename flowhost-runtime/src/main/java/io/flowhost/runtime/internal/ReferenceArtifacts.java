package io.flowhost.runtime.internal;

import io.flowhost.metaflow.MetaflowRef;
import io.flowhost.metaflow.PinnedRuns;
import io.flowhost.metaflow.error.MetaflowException;
import io.flowhost.sdk.ArtifactException;
import io.flowhost.sdk.Artifacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.function.Supplier;

/**
 * Artifacts named by reference: {@code metaflow://} reads a Metaflow run's artifact (with
 * {@code latest} pinned per deployment), {@code classpath:} a resource of the service jar,
 * {@code file:} a local file (see {@link FileReferences} for why all its failures read the same).
 */
final class ReferenceArtifacts implements Artifacts {

    private static final String SCHEMES =
            "metaflow://Flow/<run-id|latest>/step/artifact, classpath:<resource> or file:<path>";

    private final ClassLoader serviceLoader;
    private final Supplier<PinnedRuns> metaflow;

    /**
     * @param metaflow the datastore with this deployment's pins, opened on first use; it throws
     *                 {@link ArtifactException} when no datastore is configured
     */
    ReferenceArtifacts(ClassLoader serviceLoader, Supplier<PinnedRuns> metaflow) {
        this.serviceLoader = serviceLoader;
        this.metaflow = metaflow;
    }

    @Override
    public Object value(String reference) {
        if (MetaflowRef.isReference(reference)) {
            try {
                return metaflow.get().resolve(parse(reference)).value();
            } catch (MetaflowException e) {
                throw new ArtifactException(e.getMessage(), e);
            }
        }
        return bytes(reference);
    }

    @Override
    public String resolve(String reference) {
        if (!MetaflowRef.isReference(reference)) {
            return reference;
        }
        try {
            return metaflow.get().pin(parse(reference)).toString();
        } catch (MetaflowException e) {
            throw new ArtifactException(e.getMessage(), e);
        }
    }

    @Override
    public byte[] bytes(String reference) {
        if (MetaflowRef.isReference(reference)) {
            try {
                return metaflow.get().resolve(parse(reference)).bytes();
            } catch (MetaflowException e) {
                throw new ArtifactException(e.getMessage(), e);
            }
        }
        try (var in = open(reference)) {
            return in.readAllBytes();
        } catch (IOException e) {
            if (reference.startsWith(FileReferences.SCHEME)) {
                throw FileReferences.unreadable(reference);
            }
            throw new ArtifactException("artifact " + reference + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new ArtifactException("an artifact reference is empty: use " + SCHEMES);
        }
        if (MetaflowRef.isReference(reference)) {
            return new ByteArrayInputStream(bytes(reference));
        }
        if (reference.startsWith("classpath:")) {
            var resource = reference.substring("classpath:".length()).replaceFirst("^/+", "");
            var in = serviceLoader.getResourceAsStream(resource);
            if (in == null) {
                throw new ArtifactException("artifact " + reference + " not found: the service jar has no resource '"
                        + resource + "' (put it under src/main/resources)");
            }
            return in;
        }
        if (reference.startsWith(FileReferences.SCHEME)) {
            try {
                return Files.newInputStream(FileReferences.readable(reference));
            } catch (IOException e) {
                throw FileReferences.unreadable(reference);
            }
        }
        throw new ArtifactException(
                "artifact reference '" + reference + "' has a scheme flowhost does not know: use " + SCHEMES);
    }

    private static MetaflowRef parse(String reference) {
        try {
            return MetaflowRef.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(e.getMessage(), e);
        }
    }
}
