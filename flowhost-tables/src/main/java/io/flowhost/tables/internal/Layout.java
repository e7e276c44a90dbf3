package io.flowhost.tables.internal;

import io.flowhost.domain.table.TableVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Where a gateway keeps its copy of each version: {@code <root>/<table>/<version>/}, RocksDB's folder, and beside it
 * {@code <version>.done} once the version is finished, so that a version cut short by a crash is never served.
 */
public final class Layout {

    private final Path root;

    public Layout(Path root) {
        this.root = root;
    }

    /** The folder of a version's files. */
    public Path dir(TableVersion v) {
        return root.resolve(v.table()).resolve(Integer.toString(v.version()));
    }

    /** Whether a version was finished here. */
    public boolean isDone(TableVersion v) {
        return Files.isRegularFile(done(v));
    }

    /** Records that a version was finished here. */
    public void markDone(TableVersion v) {
        try {
            Files.writeString(done(v), v.id() + " " + v.rows() + " rows\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark " + v.id() + " finished in " + done(v), e);
        }
    }

    /** An empty folder for a version about to be built (a half-built one from before is removed first). */
    public Path fresh(TableVersion v) {
        delete(v);
        try {
            Files.createDirectories(dir(v).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir(v).getParent(), e);
        }
        return dir(v);
    }

    /** Removes a version's files and its mark. */
    public void delete(TableVersion v) {
        deleteTree(done(v));
        deleteTree(dir(v));
    }

    /** Removes every file of a table. */
    public void deleteTable(String table) {
        deleteTree(root.resolve(table));
    }

    private Path done(TableVersion v) {
        return root.resolve(v.table()).resolve(v.version() + ".done");
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            for (var f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
