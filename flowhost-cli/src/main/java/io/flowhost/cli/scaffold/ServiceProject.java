package io.flowhost.cli.scaffold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of a new service project, by path relative to its folder.
 *
 * @param files each file's bytes, in the order they are written
 * @param published the published flowhost jars beyond the SDK it compiles against, by artifact id (the Metaflow
 *     reader for a numpy array's type, flowhost-onnx for an ONNX model)
 * @param summary what the service holds, in a sentence for the user
 */
public record ServiceProject(Map<String, byte[]> files, Set<String> published, String summary) {

    private static final Set<String> EXECUTABLE = Set.of("mvnw");

    /** Writes the files into the folder, which must not exist or be empty; mvnw is made executable. */
    public void writeTo(Path dir) {
        requireFree(dir);
        try {
            for (var file : files.entrySet()) {
                var path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
                if (EXECUTABLE.contains(file.getKey())
                        && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the project into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Fails unless the folder is free for a project: missing, or an empty folder. */
    public static void requireFree(Path dir) {
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new ScaffoldException(dir + " exists and is not empty: give another NAME, or --dir with a new"
                    + " folder, or move that one away");
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
