package io.flowhost.wire.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns Jackson's complaints about a request body into problems in the caller's terms: the line and column of
 * malformed JSON, or the field that is wrong and the JSON it expects. Jackson's own wording names the Java types a
 * body binds to (and its own settings), which mean nothing to a caller and tell an attacker what runs inside, so
 * only the parts of it that speak of the JSON text are passed on.
 */
public final class BadInput {

    private static final System.Logger LOG = System.getLogger("flowhost.errors");

    /** What Jackson says of a repeated key when {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION} is on. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    /** A location Jackson quotes inside its message: the line and column are kept, its source is not. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    /** Jackson's pointers to its own settings, e.g. {@code : enable `JsonReadFeature...` to allow}. */
    private static final Pattern SETTINGS = Pattern.compile(
            ",? from `[^`]*`|: enable `[^`]*` to allow| \\(not recognized as one since Feature '[^']*' not enabled"
                    + " for parser\\)");

    /** Text that still names something of Java's after the settings are cut out: none of it is passed on. */
    private static final Pattern JAVA = Pattern.compile(
            "[`$]|Feature|Exception|\\b(?:java|javax|jdk|sun|com|org|io|net)\\.[A-Za-z]|\\b[a-z]\\w*\\.[a-z]\\w*\\.[A-Z]");

    /** How Jackson says what came instead: "(token `JsonToken.START_ARRAY`)" or "from String value". */
    private static final Pattern TOKEN = Pattern.compile("JsonToken\\.([A-Z_]+)");

    private static final Pattern FROM =
            Pattern.compile("from (String|Integer|Floating-point|Number|Boolean|Array|Object|Null) value");

    private static final Pattern ENUM_VALUES =
            Pattern.compile("not one of the values accepted for Enum class: \\[(.*)]");

    private BadInput() {}

    /**
     * The problem of a body Jackson could not read: malformed JSON (with line and column), a repeated key (with the
     * key, line and column), or a field that is missing, out of range or of the wrong type (with the field).
     */
    public static Problem problem(JsonProcessingException e, String requestId) {
        var parsing = parserComplaint(e);
        if (parsing instanceof InputCoercionException outOfRange) {
            return outOfRange(outOfRange, e, requestId);
        }
        if (parsing != null) {
            var duplicate = DUPLICATE.matcher(String.valueOf(parsing.getOriginalMessage()));
            return parsing instanceof JsonParseException && duplicate.matches()
                    ? duplicate(parsing, duplicate.group(1), e, requestId)
                    : malformed(parsing, requestId);
        }
        var mapping = (JsonMappingException) e; // every complaint that is not the parser's is the mapper's
        if (mapping instanceof InvalidDefinitionException definition) {
            // An array, collection or map has a JSON form: a string or number sent for one (which Jackson reports
            // as a missing constructor) is the caller's mistake, not the type's
            return definition.getType() != null && definition.getType().isContainerType()
                    ? wrongShape(definition, requestId)
                    : unreadableType(definition, requestId);
        }
        return invalidField(mapping, requestId);
    }

    /** The parser's own complaint, which the mapper may have wrapped to say which field it was reading. */
    private static JsonProcessingException parserComplaint(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException j && !(j instanceof JsonMappingException)) {
                return j;
            }
        }
        return null;
    }

    private static Problem outOfRange(InputCoercionException e, JsonProcessingException wrapper, String requestId) {
        var field = where(e, wrapper);
        var detail = (field.isEmpty() ? "a number in the request body" : "field '" + field + "'")
                + " is out of range: it expects " + range(e.getTargetType());
        var problem = Problem.of(ProblemType.INVALID_FIELD, detail, requestId);
        return field.isEmpty() ? problem : problem.with("field", field);
    }

    private static Problem duplicate(
            JsonProcessingException e, String key, JsonProcessingException wrapper, String requestId) {
        var where = where(e, wrapper);
        var field = where.isEmpty() ? key : where;
        var detail =
                "field '" + field + "' appears more than once in the request body" + at(e) + ": send each field once";
        return located(Problem.of(ProblemType.INVALID_FIELD, detail, requestId).with("field", field), e);
    }

    private static Problem malformed(JsonProcessingException e, String requestId) {
        var text = jacksonText(e.getOriginalMessage());
        var what = e instanceof StreamConstraintsException
                ? "the request body is beyond what flowhost reads"
                : "the request body is not valid JSON";
        var detail = what + (text.isEmpty() ? "" : ": " + text) + at(e);
        return located(Problem.of(ProblemType.MALFORMED_JSON, detail, requestId), e);
    }

    /** A scalar where an array or an object is expected: "field 'rows' expects an array, got a string". */
    private static Problem wrongShape(InvalidDefinitionException e, String requestId) {
        var field = path(e);
        var got = got(e, String.valueOf(e.getOriginalMessage()));
        var detail = (field.isEmpty() ? "the request body must be " : "field '" + field + "' expects ")
                + expected(e.getType().getRawClass(), "")
                + (got == null ? "" : ", got " + got);
        var problem = Problem.of(ProblemType.INVALID_FIELD, detail, requestId);
        return field.isEmpty() ? problem : problem.with("field", field);
    }

    /** The endpoint's input type cannot be read from JSON at all: the service's fault, not the caller's. */
    private static Problem unreadableType(InvalidDefinitionException e, String requestId) {
        var errorId = RequestIds.next();
        LOG.log(
                Level.ERROR,
                "request " + requestId + ": the endpoint's input type cannot be read from JSON (error id " + errorId
                        + ")",
                e);
        return Problem.of(
                        ProblemType.INTERNAL,
                        "the endpoint's input type cannot be read from JSON, a fault of the service; its log has "
                                + "error id " + errorId,
                        requestId)
                .with("errorId", errorId);
    }

    private static Problem invalidField(JsonMappingException e, String requestId) {
        var field = path(e);
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
        if (e instanceof MismatchedInputException mismatch && trailing(mismatch)) {
            var detail = "the request body goes on after its JSON value" + at(e) + ": send one JSON value";
            return located(Problem.of(ProblemType.MALFORMED_JSON, detail, requestId), e);
        }
        var subject = field.isEmpty() ? "the request body" : "field '" + field + "'";
        String detail;
        if (e instanceof MismatchedInputException mismatch) {
            detail = mismatch(mismatch, subject);
        } else if (e instanceof ValueInstantiationException refused) {
            var reason = refused.getCause() instanceof IllegalArgumentException argument
                    ? callersTerms(argument.getMessage())
                    : "";
            detail = subject + " was refused by the endpoint's input"
                    + (reason.isEmpty() ? ": check its values against the endpoint's example" : ": " + reason);
        } else {
            detail = subject + " cannot be read as the endpoint's input: check it against the endpoint's example";
        }
        var problem = Problem.of(ProblemType.INVALID_FIELD, detail, requestId);
        return field.isEmpty() ? problem : problem.with("field", field);
    }

    private static boolean trailing(MismatchedInputException e) {
        return String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
    }

    /** "field 'x' expects a number, got a string", "field 'x' is missing; it expects a number", and the like. */
    private static String mismatch(MismatchedInputException e, String subject) {
        var message = String.valueOf(e.getOriginalMessage());
        var target = e.getTargetType();
        var expected = expected(target, message);
        if (message.startsWith("Missing required creator property")) {
            return subject + " is missing; it expects " + expected;
        }
        if (message.contains("`null`")) {
            return subject + " is missing or null; it expects " + expected;
        }
        var got = got(e, message);
        // A string where another string is expected (an unknown enum name, a malformed date) says nothing more.
        boolean sameKind = "a string".equals(got) && takesString(target);
        return subject
                + (subject.startsWith("field") ? " expects " : " must be ")
                + expected
                + (got == null || sameKind ? "" : ", got " + got);
    }

    /** The JSON a Java type is read from, in the caller's terms. */
    private static String expected(Class<?> type, String message) {
        if (type == null || type == Object.class) {
            return "another value";
        }
        if (type.isEnum()) {
            // Jackson's list has the names as the caller writes them, in no particular order.
            var accepted = ENUM_VALUES.matcher(message);
            var names = accepted.find()
                    ? Arrays.stream(accepted.group(1).split(", "))
                    : Arrays.stream(type.getEnumConstants()).map(String::valueOf);
            return "one of: " + names.sorted().collect(Collectors.joining(", "));
        }
        if (isInteger(type)) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == char.class || type == Character.class) {
            return "a string of one character";
        }
        if (TemporalAccessor.class.isAssignableFrom(type) || TemporalAmount.class.isAssignableFrom(type)) {
            return "an ISO-8601 date, time or duration";
        }
        if (type == byte[].class) {
            return "a base64 string";
        }
        if (takesString(type)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static boolean takesString(Class<?> type) {
        return type != null
                && (CharSequence.class.isAssignableFrom(type)
                        || type.isEnum()
                        || type == char.class
                        || type == Character.class
                        || type == byte[].class
                        || type == UUID.class
                        || type == URI.class
                        || type == URL.class
                        || type == Locale.class
                        || ZoneId.class.isAssignableFrom(type)
                        || TemporalAccessor.class.isAssignableFrom(type)
                        || TemporalAmount.class.isAssignableFrom(type));
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class
                || type == byte.class
                || type == Byte.class
                || type == BigInteger.class;
    }

    /** The range a number read as this type must fall in (Jackson's, which lets a byte go up to 255). */
    private static String range(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class) {
            return "an integer from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        if (type == byte.class || type == Byte.class) {
            return "an integer from " + Byte.MIN_VALUE + " to 255";
        }
        if (type == float.class || type == Float.class) {
            return "a number from " + -Float.MAX_VALUE + " to " + Float.MAX_VALUE;
        }
        if (type == double.class || type == Double.class) {
            return "a number from " + -Double.MAX_VALUE + " to " + Double.MAX_VALUE;
        }
        if (type == BigDecimal.class || type == BigInteger.class) {
            return "a shorter number";
        }
        return "a smaller number";
    }

    /** What the caller sent instead, when Jackson says: "a string", "an object", ... */
    private static String got(JsonMappingException e, String message) {
        if (e instanceof InvalidFormatException format && format.getValue() != null) {
            return switch (format.getValue()) {
                case CharSequence ignored -> "a string";
                case Number ignored -> "a number";
                case Boolean ignored -> "true or false";
                default -> null;
            };
        }
        if (message.startsWith("No content to map")) {
            return "nothing";
        }
        var token = TOKEN.matcher(message);
        if (token.find()) {
            return switch (token.group(1)) {
                case "START_OBJECT", "END_OBJECT", "FIELD_NAME" -> "an object";
                case "START_ARRAY", "END_ARRAY" -> "an array";
                case "VALUE_STRING" -> "a string";
                case "VALUE_NUMBER_INT", "VALUE_NUMBER_FLOAT" -> "a number";
                case "VALUE_TRUE", "VALUE_FALSE" -> "true or false";
                case "VALUE_NULL" -> "null";
                default -> null;
            };
        }
        var from = FROM.matcher(message);
        if (from.find()) {
            return switch (from.group(1)) {
                case "String" -> "a string";
                case "Integer", "Floating-point", "Number" -> "a number";
                case "Boolean" -> "true or false";
                case "Array" -> "an array";
                case "Object" -> "an object";
                default -> "null";
            };
        }
        return null;
    }

    /** Where in the body the parser was: exact even inside untyped values, where the mapper's path stops short. */
    private static String where(JsonProcessingException parsing, JsonProcessingException wrapper) {
        if (parsing.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            var path = path(parser.getParsingContext());
            if (!path.isEmpty()) {
                return path;
            }
        }
        return wrapper instanceof JsonMappingException mapping ? path(mapping) : "";
    }

    /** {@code items[2].petal_length}, the way the caller wrote it. */
    private static String path(JsonMappingException e) {
        var steps = new ArrayList<Object>();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                steps.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                steps.add(ref.getIndex());
            }
        }
        return path(steps);
    }

    private static String path(JsonStreamContext context) {
        var steps = new ArrayList<Object>();
        for (var c = context; c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                steps.add(c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                steps.add(c.getCurrentIndex());
            }
        }
        Collections.reverse(steps);
        return path(steps);
    }

    private static String path(List<Object> steps) {
        var out = new StringBuilder();
        for (var step : steps) {
            if (step instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(step);
            }
        }
        return out.toString();
    }

    private static Problem located(Problem problem, JsonProcessingException e) {
        var location = e.getLocation();
        return location == null
                ? problem
                : problem.with("line", location.getLineNr()).with("column", location.getColumnNr());
    }

    private static String at(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Jackson's message about the JSON text, without its source, its settings or anything else of Java's. */
    private static String jacksonText(String message) {
        var text = SOURCE.matcher(firstLine(message)).replaceAll("line $1, column $2");
        return callersTerms(SETTINGS.matcher(text).replaceAll(""));
    }

    /** The text if it speaks only of what the caller sent, else nothing. */
    private static String callersTerms(String text) {
        var line = firstLine(text).strip();
        return JAVA.matcher(line).find() ? "" : line;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
