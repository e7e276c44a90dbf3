package io.flowhost.control.deploy;

import io.flowhost.domain.deployment.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The folders {@code file:} references may name ({@code --artifact-root}): a deploy's settings and ONNX models are
 * read from under them only, so that a deploy cannot have an instance read {@code /etc/passwd} or a key file. None
 * by default: a {@code file:} reference is then refused, saying which flag to give. Links are followed before
 * judging, so a link under a root that points elsewhere is refused too.
 */
public final class ArtifactRoots {

    private static final String SCHEME = "file:";

    private final List<Path> roots;

    private ArtifactRoots(List<Path> roots) {
        this.roots = roots;
    }

    /** None: every {@code file:} reference refused. */
    public static ArtifactRoots none() {
        return new ArtifactRoots(List.of());
    }

    /** These folders, each of which must exist; a missing one fails naming it. */
    public static ArtifactRoots of(Collection<Path> folders) {
        return new ArtifactRoots(folders.stream()
                .map(folder -> {
                    try {
                        return folder.toRealPath();
                    } catch (IOException e) {
                        throw new IllegalArgumentException(
                                "artifact-root: " + folder + " (expected: an existing folder)");
                    }
                })
                .filter(real -> {
                    if (!Files.isDirectory(real)) {
                        throw new IllegalArgumentException("artifact-root: " + real + " is not a folder");
                    }
                    return true;
                })
                .toList());
    }

    /** The folders, each a real path. */
    public List<Path> folders() {
        return roots;
    }

    /** Refuses a {@code file:} reference (of {@code what}, such as {@code setting model}) that is not under a root. */
    void check(String what, String reference) throws InvalidSettingsException {
        if (!reference.startsWith(SCHEME)) {
            return;
        }
        if (roots.isEmpty()) {
            throw new InvalidSettingsException(what + ": " + reference + " is refused: this server reads file:"
                    + " references only under the folders its operator lists with --artifact-root, and lists none");
        }
        Path path;
        try {
            path = Path.of(reference.substring(SCHEME.length()));
        } catch (InvalidPathException e) {
            throw new InvalidSettingsException(what + ": " + reference + " is not a path");
        }
        if (!path.isAbsolute()) {
            throw new InvalidSettingsException(what + ": " + reference + " is not an absolute path (expected e.g. file:"
                    + roots.getFirst().resolve("model.onnx") + ")");
        }
        var judged = path.normalize();
        try {
            judged = path.toRealPath(); // where a link leads, when the file is on this machine
        } catch (IOException e) {
            // not here (an instance on another machine may have it): judged by its written path, with .. resolved
        }
        for (var root : roots) {
            if (judged.startsWith(root)) {
                return;
            }
        }
        throw new InvalidSettingsException(
                what + ": " + reference + " is outside the folders file: references may" + " name (--artifact-root "
                        + String.join(", ", roots.stream().map(Path::toString).toList()) + ")");
    }
}
