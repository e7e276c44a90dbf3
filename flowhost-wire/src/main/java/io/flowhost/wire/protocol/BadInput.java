package io.flowhost.wire.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.stream.Collectors;

/** Turns Jackson's complaints about a request body into problems that name the line, column or field. */
public final class BadInput {

    private BadInput() {}

    /** The problem of a body Jackson could not read: malformed JSON (with line and column) or an invalid field. */
    public static Problem problem(JsonProcessingException e, String requestId) {
        var location = e.getLocation();
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            var detail = "the request body is not valid JSON: " + e.getOriginalMessage();
            var problem = Problem.of(ProblemType.MALFORMED_JSON, detail + at(e), requestId);
            return location == null
                    ? problem
                    : problem.with("line", location.getLineNr()).with("column", location.getColumnNr());
        }
        var field = path(mapping);
        if (e instanceof UnrecognizedPropertyException unknown) {
            var known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", ", "; expected one of: ", ""));
            return Problem.of(ProblemType.INVALID_FIELD, "unknown field '" + field + "'" + known, requestId)
                    .with("field", field);
        }
        if (field.isEmpty()) {
            var detail = "the request body has the wrong shape: " + firstLine(e.getOriginalMessage());
            return Problem.of(ProblemType.INVALID_FIELD, detail, requestId);
        }
        String expected = e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? " (expected " + describe(mismatch.getTargetType()) + ")"
                : "";
        var detail = "field '" + field + "' has the wrong type or value" + expected + ": "
                + firstLine(e.getOriginalMessage());
        return Problem.of(ProblemType.INVALID_FIELD, detail, requestId).with("field", field);
    }

    private static String at(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** {@code items[2].petalLength}, the way the caller wrote it. */
    private static String path(JsonMappingException e) {
        var out = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
