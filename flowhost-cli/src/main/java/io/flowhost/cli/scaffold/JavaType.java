package io.flowhost.cli.scaffold;

import io.flowhost.metaflow.pickle.NdArray;
import io.flowhost.metaflow.pickle.NumpyScalar;
import io.flowhost.metaflow.pickle.PySet;
import io.flowhost.metaflow.pickle.PyTuple;
import io.flowhost.onnx.OnnxModel;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Java type a field holding an artifact's value is declared with: the type the Metaflow reader gives the value
 * (a Long as {@code long}, a list of lists of floats as {@code List<List<Double>>}, a numpy array as NdArray).
 *
 * @param name the type as written in a declaration
 * @param conversion how an {@code Object} from {@code artifacts().value(...)} becomes it, {@code %s} the value
 * @param imports the classes to import for it
 */
record JavaType(String name, String conversion, Set<String> imports) {

    /** The Metaflow reader's package: a type from it needs the reader on the project's class path. */
    static final String READER_PACKAGE = "io.flowhost.metaflow.pickle.";

    private static final String CAST = "cast(%s)";

    /** The type for a value, or empty for a value of no type here (nothing the reader gives today). */
    static Optional<JavaType> of(Object value) {
        if (value instanceof Long) {
            return Optional.of(new JavaType("long", "((Number) %s).longValue()", Set.of()));
        }
        if (value instanceof Double) {
            return Optional.of(new JavaType("double", "((Number) %s).doubleValue()", Set.of()));
        }
        if (value instanceof Boolean) {
            return Optional.of(new JavaType("boolean", "(Boolean) %s", Set.of()));
        }
        var imports = new TreeSet<String>();
        var name = boxed(value, imports);
        return name.map(n -> new JavaType(n, CAST, Set.copyOf(imports)));
    }

    /** An ONNX model's bytes, loaded into ONNX Runtime. */
    static JavaType onnxModel() {
        return new JavaType("OnnxModel", "OnnxModel.load((byte[]) %s)", Set.of(OnnxModel.class.getName()));
    }

    /** The published flowhost jars the type needs to compile, by artifact id. */
    Set<String> published() {
        var out = new TreeSet<String>();
        if (imports.stream().anyMatch(i -> i.startsWith(READER_PACKAGE))) {
            out.add("flowhost-metaflow");
        }
        if (imports.contains(OnnxModel.class.getName())) {
            out.add("flowhost-onnx");
        }
        return out;
    }

    private static Optional<String> boxed(Object value, Set<String> imports) {
        return switch (value) {
            case null -> Optional.of("Object");
            case Long ignored -> Optional.of("Long");
            case Double ignored -> Optional.of("Double");
            case Boolean ignored -> Optional.of("Boolean");
            case String ignored -> Optional.of("String");
            case byte[] ignored -> Optional.of("byte[]");
            case BigInteger ignored -> imported(BigInteger.class, imports);
            case NdArray ignored -> imported(NdArray.class, imports);
            case PyTuple ignored -> imported(PyTuple.class, imports);
            case PySet ignored -> imported(PySet.class, imports);
            case NumpyScalar ignored -> imported(NumpyScalar.class, imports);
            case List<?> list -> {
                imports.add(List.class.getName());
                yield Optional.of("List<" + common(list, imports) + ">");
            }
            case Map<?, ?> map -> {
                imports.add(Map.class.getName());
                yield Optional.of("Map<" + common(map.keySet(), imports) + ", " + common(map.values(), imports) + ">");
            }
            default -> Optional.empty();
        };
    }

    /** The one type of every non-None item, Number for a mix of numbers, Object otherwise. */
    private static String common(Collection<?> items, Set<String> imports) {
        var types = new TreeSet<String>();
        var local = new TreeSet<String>();
        for (var item : items) {
            if (item != null) {
                types.add(boxed(item, local).orElse("Object"));
            }
        }
        if (types.size() == 1) {
            imports.addAll(local);
            return types.first();
        }
        if (!types.isEmpty()
                && types.stream()
                        .allMatch(t -> Set.of("Long", "Double", "BigInteger").contains(t))) {
            return "Number";
        }
        return "Object";
    }

    private static Optional<String> imported(Class<?> type, Set<String> imports) {
        imports.add(Objects.requireNonNull(type.getName()));
        return Optional.of(type.getSimpleName());
    }
}
