package io.flowhost.metaflow.internal;

import io.flowhost.metaflow.error.OutsideDatastoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A datastore in a local {@code .metaflow} folder; blob metadata sits beside each blob in {@code <sha1>_meta}.
 * Every path is resolved under the root and refused if it would leave it.
 */
public final class LocalStorage implements Storage {

    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Listing list(String directory) {
        var dir = resolve(directory);
        if (!Files.isDirectory(dir)) {
            return new Listing(List.of(), List.of());
        }
        try (Stream<Path> entries = Files.list(dir)) {
            var dirs = new ArrayList<String>();
            var files = new ArrayList<String>();
            entries.sorted()
                    .forEach(p -> (Files.isDirectory(p) ? dirs : files)
                            .add(p.getFileName().toString()));
            return new Listing(dirs, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public Optional<byte[]> read(String path) {
        try {
            return Optional.of(Files.readAllBytes(resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resolve(path), e);
        }
    }

    @Override
    public Optional<Blob> readBlob(String path) {
        return read(path)
                .map(bytes ->
                        new Blob(bytes, read(path + "_meta").map(String::new).orElse(null)));
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /**
     * The path under the root, normalized; refused when it leads elsewhere ({@code ..}, an absolute path). This
     * repeats what reference parsing checks, for the paths a datastore records itself (a blob's hash, the end
     * step's name). Symbolic links inside the root are followed: whoever can place one could write the data too.
     */
    private Path resolve(String path) {
        Path resolved;
        try {
            resolved = root.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new StorageException(
                    "cannot look for " + Quoted.of(path) + " in " + describe() + ": " + e.getReason(), e);
        }
        if (!resolved.startsWith(root)) {
            throw new OutsideDatastoreException(Quoted.of(path), describe());
        }
        return resolved;
    }
}
