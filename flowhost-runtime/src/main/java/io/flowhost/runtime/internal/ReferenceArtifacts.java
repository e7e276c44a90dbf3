package io.flowhost.runtime.internal;

import io.flowhost.sdk.ArtifactException;
import io.flowhost.sdk.Artifacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Artifacts named by reference: {@code classpath:} reads a resource of the service jar,
 * {@code file:} a local file. Further schemes ({@code metaflow://}) plug in here.
 */
final class ReferenceArtifacts implements Artifacts {

    private final ClassLoader serviceLoader;

    ReferenceArtifacts(ClassLoader serviceLoader) {
        this.serviceLoader = serviceLoader;
    }

    @Override
    public InputStream open(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new ArtifactException("an artifact reference is empty: use classpath:<resource> or file:<path>");
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
        if (reference.startsWith("file:")) {
            var path = Path.of(reference.substring("file:".length()));
            try {
                return Files.newInputStream(path);
            } catch (NoSuchFileException e) {
                throw new ArtifactException("artifact " + reference + " not found: no file " + path.toAbsolutePath(), e);
            } catch (IOException e) {
                throw new ArtifactException("artifact " + reference + " cannot be read: " + e.getMessage(), e);
            }
        }
        throw new ArtifactException("artifact reference '" + reference + "' has a scheme flowhost does not know: use "
                + "classpath:<resource> or file:<path>");
    }

    @Override
    public byte[] bytes(String reference) {
        try (var in = open(reference)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ArtifactException("artifact " + reference + " cannot be read: " + e.getMessage(), e);
        }
    }
}
