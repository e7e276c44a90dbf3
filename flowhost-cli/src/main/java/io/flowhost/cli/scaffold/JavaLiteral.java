package io.flowhost.cli.scaffold;

import io.flowhost.metaflow.pickle.NdArray;
import io.flowhost.metaflow.pickle.NumpyScalar;
import io.flowhost.metaflow.pickle.PySet;
import io.flowhost.metaflow.pickle.PyTuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An artifact's value written as Java for the generated test, with TestContext's {@code list} and {@code map}; bytes
 * (a model, a numpy array's data) go to files under src/test/resources rather than into the source.
 */
final class JavaLiteral {

    private final String name;
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final Set<String> imports = new TreeSet<>();
    private String expression;

    private JavaLiteral(String name) {
        this.name = name;
    }

    /**
     * The value as a Java expression.
     *
     * @param name the artifact's name, which names its resource files
     */
    static JavaLiteral of(String name, Object value) {
        var literal = new JavaLiteral(name);
        literal.expression = literal.write(value);
        return literal;
    }

    String expression() {
        return expression;
    }

    /** Resource files the expression reads, by path under src/test/resources. */
    Map<String, byte[]> resources() {
        return resources;
    }

    /** Classes the expression names. */
    Set<String> imports() {
        return imports;
    }

    private String write(Object value) {
        return switch (value) {
            case null -> "(Object) null";
            case Boolean b -> b.toString();
            case Long l -> l + "L";
            case Double d -> doubleLiteral(d);
            case String s -> string(s);
            case BigInteger big -> {
                imports.add(BigInteger.class.getName());
                yield "new BigInteger(\"" + big + "\")";
            }
            case byte[] bytes -> resource(bytes);
            case NdArray array -> {
                imports.add(NdArray.class.getName());
                yield "new NdArray(" + string(array.dtype()) + ", new int[] {"
                        + String.join(
                                ", ",
                                Arrays.stream(array.shape())
                                        .mapToObj(String::valueOf)
                                        .toList())
                        + "}, " + array.fortranOrder() + ", " + resource(array.data()) + ")";
            }
            case PyTuple tuple -> {
                imports.add(PyTuple.class.getName());
                yield "new PyTuple(" + list(tuple.items()) + ")";
            }
            case PySet set -> {
                imports.add(PySet.class.getName());
                yield "new PySet(" + set.frozen() + ", " + list(set.items()) + ")";
            }
            case NumpyScalar scalar -> {
                imports.add(NumpyScalar.class.getName());
                yield "new NumpyScalar(" + string(scalar.dtype()) + ", " + write(scalar.value()) + ")";
            }
            case List<?> items -> list(items);
            case Map<?, ?> map -> {
                var parts = new ArrayList<String>();
                map.forEach((k, v) -> {
                    parts.add(write(k));
                    parts.add(write(v));
                });
                yield "TestContext.map(" + String.join(", ", parts) + ")";
            }
            default -> throw new IllegalArgumentException("no Java literal for a " + value.getClass());
        };
    }

    private String list(List<?> items) {
        return "TestContext.list("
                + String.join(", ", items.stream().map(this::write).toList()) + ")";
    }

    private String resource(byte[] bytes) {
        var path = "artifacts/" + name + (resources.isEmpty() ? "" : "-" + resources.size()) + ".bin";
        resources.put(path, bytes);
        return "TestContext.resource(\"" + path + "\")";
    }

    private static String doubleLiteral(double d) {
        if (Double.isNaN(d)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(d);
    }

    /** A Java string literal; anything outside printable ASCII escaped, so the source is plain ASCII. */
    static String string(String s) {
        var out = new StringBuilder("\"");
        s.chars().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
