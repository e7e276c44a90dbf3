package io.flowhost.onnx;

import ai.onnxruntime.OrtException;
import java.util.regex.Pattern;

/** Turns ONNX Runtime's exception text into a plain sentence for our own messages. */
final class OrtMessages {
    // ONNX Runtime prefixes every message with "Error code - ORT_X - message: ", which says nothing to a reader.
    private static final Pattern PREFIX = Pattern.compile("^Error code - \\S+ - message: ");

    private OrtMessages() {}

    /** Returns the exception's message without ONNX Runtime's error-code prefix and trailing blank space. */
    static String of(OrtException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return PREFIX.matcher(message).replaceFirst("").strip();
    }
}
