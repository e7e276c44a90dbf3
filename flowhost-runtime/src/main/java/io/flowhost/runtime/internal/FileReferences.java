package io.flowhost.runtime.internal;

import io.flowhost.sdk.ArtifactException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The file a {@code file:} reference names, if it is a regular file this instance can read. Whatever else is wrong
 * (no such file, no permission, a directory, a path that cannot be one) fails with the same message, naming only the
 * reference: whoever deploys writes the reference and reads the failure, and a different wording for each case would
 * tell them what exists on the instance's file system.
 */
final class FileReferences {

    static final String SCHEME = "file:";

    private FileReferences() {}

    /** The path of a readable regular file, or the one failure for every other case. */
    static Path readable(String reference) {
        try {
            var path = Path.of(reference.substring(SCHEME.length()));
            if (Files.isRegularFile(path) && Files.isReadable(path)) {
                return path;
            }
        } catch (InvalidPathException | SecurityException e) {
            // the same answer as for a file that is not there
        }
        throw unreadable(reference);
    }

    /**
     * The failure of a {@code file:} reference that cannot be read, with no cause: the cause's type (no such file,
     * access denied) would say what the message does not.
     */
    static ArtifactException unreadable(String reference) {
        return new ArtifactException("artifact " + reference + " cannot be read: it names no file this instance can "
                + "read (check that the path is that of a regular file, and that the instance may read it)");
    }
}
