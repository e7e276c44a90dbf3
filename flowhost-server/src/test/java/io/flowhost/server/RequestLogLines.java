package io.flowhost.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the server's request log, as an operator would. */
final class RequestLogLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestLogLines() {}

    /** The line of a request id, or null while it is not written. */
    static JsonNode find(Path dataDir, String requestId) {
        var file = dataDir.resolve("logs/requests.log");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            for (var line : Files.readAllLines(file)) {
                var node = JSON.readTree(line);
                if (node.path("requestId").asText().equals(requestId)) {
                    return node;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
