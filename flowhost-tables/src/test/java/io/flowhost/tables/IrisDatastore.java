package io.flowhost.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A writable copy of the real IrisFlow datastore the iris example ships with, into whose latest successful run's
 * end task a test plants artifacts pickled by Python's own {@code pickle} (protocol 4, as Metaflow writes them).
 */
final class IrisDatastore {

    static final String LATEST_SUCCESSFUL = "1795691852170532";

    private IrisDatastore() {}

    static Path copy(Path into) throws IOException {
        var from = Path.of("../examples/iris/metaflow").toAbsolutePath().normalize();
        try (var files = Files.walk(from)) {
            for (var source : files.sorted(Comparator.naturalOrder()).toList()) {
                var target = into.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setWritable(true);
                }
            }
        }
        return into;
    }

    /** Makes {@code artifact} of the end task hold the value of a Python expression, pickled by python3. */
    static void plant(Path root, String artifact, String pythonExpression) throws Exception {
        var python = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import pickle, sys; sys.stdout.buffer.write(pickle.dumps(" + pythonExpression
                                + ", protocol=4))")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var pickle = python.getInputStream().readAllBytes();
        if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new IllegalStateException("python3 could not pickle " + pythonExpression);
        }
        var sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(pickle));
        var gzipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(pickle);
        }
        var blob = root.resolve(".metaflow/IrisFlow/data/" + sha.substring(0, 2) + "/" + sha);
        Files.createDirectories(blob.getParent());
        Files.write(blob, gzipped.toByteArray());
        var data = root.resolve(".metaflow/IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/0.data.json");
        var json = new ObjectMapper();
        var tree = (ObjectNode) json.readTree(data.toFile());
        ((ObjectNode) tree.path("objects")).put(artifact, sha);
        json.writeValue(data.toFile(), tree);
    }
}
