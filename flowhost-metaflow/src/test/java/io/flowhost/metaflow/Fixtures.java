package io.flowhost.metaflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** The real Metaflow datastores under src/test/data (see FIXTURES.md there) and their expected values. */
final class Fixtures {

    static final Path DATA = Path.of("src/test/data").toAbsolutePath();
    static final String IRIS = "metaflow-iris";
    static final String LEGACY = "metaflow-iris-legacy";
    /** The latest successful IrisFlow run of {@link #IRIS}; its end task is {@code end/3}. */
    static final String IRIS_LATEST_SUCCESSFUL = "1795691852170532";

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

    /** The data.json of the end task of the latest successful IrisFlow run in a copy of {@link #IRIS}. */
    static Path endTaskData(Path root) {
        return root.resolve(".metaflow/IrisFlow/" + IRIS_LATEST_SUCCESSFUL + "/end/3/0.data.json");
    }

    /** Points an artifact of that end task at another hash, as if Metaflow had recorded it. */
    static void pointAt(Path root, String artifact, String sha) {
        try {
            var json = new ObjectMapper();
            var data = (ObjectNode) json.readTree(endTaskData(root).toFile());
            ((ObjectNode) data.path("objects")).put(artifact, sha);
            json.writeValue(endTaskData(root).toFile(), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records an artifact's size in that end task's data.json, as Metaflow records it (the pickle's length). */
    static void recordSize(Path root, String artifact, long size) {
        try {
            var json = new ObjectMapper();
            var data = (ObjectNode) json.readTree(endTaskData(root).toFile());
            ((ObjectNode) data.path("info").path(artifact)).put("size", size);
            json.writeValue(endTaskData(root).toFile(), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes an artifact of that end task hold the given pickle, stored as Metaflow stores blobs (gzip, by SHA-1). */
    static void plant(Path root, String artifact, byte[] pickle) {
        try {
            var sha =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(pickle));
            var gzipped = new ByteArrayOutputStream();
            try (var gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(pickle);
            }
            var blob = root.resolve(".metaflow/IrisFlow/data/" + sha.substring(0, 2) + "/" + sha);
            Files.createDirectories(blob.getParent());
            Files.write(blob, gzipped.toByteArray());
            pointAt(root, artifact, sha);
            recordSize(root, artifact, pickle.length);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
