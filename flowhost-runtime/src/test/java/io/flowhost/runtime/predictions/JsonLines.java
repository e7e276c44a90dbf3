package io.flowhost.runtime.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads prediction files back, the way a training flow would. */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** The {@code .jsonl} files under {@code dir}, as paths relative to it, sorted. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.toString().endsWith(".jsonl"))
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** Every line of every file under {@code dir}, parsed, files in name order. */
    static List<JsonNode> all(Path dir) throws IOException {
        return files(dir).stream().flatMap(f -> inFile(dir.resolve(f)).stream()).toList();
    }

    /** The lines of one file, parsed. */
    static List<JsonNode> inFile(Path file) {
        try {
            return Files.readAllLines(file).stream().map(JsonLines::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }
}
