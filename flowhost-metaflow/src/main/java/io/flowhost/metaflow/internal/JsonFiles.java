package io.flowhost.metaflow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.metaflow.error.CorruptArtifactException;
import java.io.IOException;
import java.util.Optional;

/** Reads the small JSON files Metaflow writes beside the artifacts. */
public final class JsonFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {}

    /** The file parsed as JSON, or empty when it does not exist. */
    public static Optional<JsonNode> read(Storage storage, String path) {
        return storage.read(path).map(bytes -> parse(bytes, storage.describe() + "/" + path));
    }

    private static JsonNode parse(byte[] bytes, String where) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CorruptArtifactException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptArtifactException(where + " cannot be read: " + e.getMessage(), e);
        }
    }
}
