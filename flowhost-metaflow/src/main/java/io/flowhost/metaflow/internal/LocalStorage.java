package io.flowhost.metaflow.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A datastore in a local {@code .metaflow} folder; blob metadata sits beside each blob in {@code <sha1>_meta}. */
public final class LocalStorage implements Storage {

    private final Path root;

    public LocalStorage(Path root) {
        this.root = root;
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

    private Path resolve(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }
}
