package io.flowhost.metaflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The real Metaflow datastores under src/test/data (see FIXTURES.md there) and their expected values. */
final class Fixtures {

    static final Path DATA = Path.of("src/test/data").toAbsolutePath();
    static final String IRIS = "metaflow-iris";
    static final String LEGACY = "metaflow-iris-legacy";

    private Fixtures() {}

    static Path root(String name) {
        return DATA.resolve(name);
    }

    static JsonNode expected(String name) {
        try {
            return new ObjectMapper()
                    .readTree(DATA.resolve(name + ".expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writable copy of a fixture datastore, for tests that damage it. */
    static Path copy(String name, Path into) {
        var from = root(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (var source : files.sorted(Comparator.naturalOrder()).toList()) {
                var target = into.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setWritable(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }
}
