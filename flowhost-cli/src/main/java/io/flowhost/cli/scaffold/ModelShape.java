package io.flowhost.cli.scaffold;

import io.flowhost.metaflow.pickle.NdArray;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A linear model found among a run's artifacts by their shapes: a numeric matrix of rows × columns (coefficients),
 * and if there are, a vector of rows numbers (intercepts), rows strings (class names) and columns strings (features).
 * The generated endpoint computes matrix · features + intercepts with them, and its example has columns numbers.
 *
 * @param matrix the rows × columns field
 * @param rows the matrix's rows: one score each
 * @param columns the matrix's columns: the features an input has
 * @param bias the intercepts, if an artifact has that shape
 * @param labels the rows' names, if an artifact has that shape
 * @param features the columns' names, if an artifact has that shape
 */
record ModelShape(
        ArtifactField matrix,
        int rows,
        int columns,
        Optional<ArtifactField> bias,
        Optional<ArtifactField> labels,
        Optional<ArtifactField> features) {

    /** The first matrix among the fields the test can copy, with what fits around it; empty if there is none. */
    static Optional<ModelShape> find(List<ArtifactField> fields) {
        for (var field : fields) {
            var dims = matrixDims(field.value());
            if (dims.isPresent()) {
                int rows = dims.get()[0];
                int columns = dims.get()[1];
                return Optional.of(new ModelShape(
                        field,
                        rows,
                        columns,
                        first(fields, f -> vectorLength(f.value()) == rows && f != field),
                        first(fields, f -> strings(f.value()) == rows),
                        first(fields, f -> strings(f.value()) == columns)));
            }
        }
        return Optional.empty();
    }

    /** How the generated code reads element (k, j) of the matrix, k and j being int variables. */
    String matrixElement(String k, String j) {
        return matrix.value() instanceof NdArray
                ? matrix.field() + ".getDouble(" + k + " * " + columns + " + " + j + ")"
                : "((Number) " + matrix.field() + ".get(" + k + ").get(" + j + ")).doubleValue()";
    }

    /** How the generated code reads intercept k. */
    String biasElement(String k) {
        var field = bias.orElseThrow();
        return field.value() instanceof NdArray
                ? field.field() + ".getDouble(" + k + ")"
                : "((Number) " + field.field() + ".get(" + k + ")).doubleValue()";
    }

    private static Optional<ArtifactField> first(List<ArtifactField> fields, Predicate<ArtifactField> test) {
        return fields.stream().filter(test).findFirst();
    }

    private static Optional<int[]> matrixDims(Object value) {
        if (value instanceof NdArray array
                && array.shape().length == 2
                && !array.dtype().endsWith("b1")) {
            var shape = array.shape();
            return shape[0] > 0 && shape[1] > 0 ? Optional.of(shape) : Optional.empty();
        }
        if (value instanceof List<?> rows && !rows.isEmpty()) {
            int columns = vectorLength(rows.getFirst());
            if (columns > 0 && rows.stream().allMatch(r -> vectorLength(r) == columns)) {
                return Optional.of(new int[] {rows.size(), columns});
            }
        }
        return Optional.empty();
    }

    /** The length of a list of numbers or a 1-d numeric array; -1 for anything else. */
    private static int vectorLength(Object value) {
        if (value instanceof NdArray array
                && array.shape().length == 1
                && !array.dtype().endsWith("b1")) {
            return array.shape()[0];
        }
        if (value instanceof List<?> items
                && !items.isEmpty()
                && items.stream().allMatch(i -> i instanceof Long || i instanceof Double)) {
            return items.size();
        }
        return -1;
    }

    /** The length of a list of strings; -1 for anything else. */
    private static int strings(Object value) {
        if (value instanceof List<?> items && !items.isEmpty() && items.stream().allMatch(String.class::isInstance)) {
            return items.size();
        }
        return -1;
    }
}
