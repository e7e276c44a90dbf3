package io.flowhost.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** One text member of a JSON object read from bytes, for what is recorded of a request or an answer. */
final class JsonMember {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonMember() {}

    /** The member's text, or {@code fallback} when the bytes are not a JSON object with it. */
    static String text(byte[] json, String member, String fallback) {
        try {
            var node = JSON.readTree(json);
            return node != null && node.path(member).isTextual()
                    ? node.path(member).asText()
                    : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }
}
