package io.flowhost.cli.scaffold;

import io.flowhost.metaflow.pickle.NdArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The service and test sources for a run's artifacts: a field per artifact loaded in the constructor, an endpoint that
 * uses them (a linear model's scores when their shapes make one, else what was loaded), and a test that copies the
 * run's values.
 */
final class RunServiceSource {

    /** Longest copy of one value in the test's source; a longer one is replaced by an empty value of its type. */
    static final int MAX_LITERAL = 20_000;

    /** Longest copy of all values together: the test's method must stay under the JVM's 64 KB of bytecode. */
    static final int MAX_LITERALS = 40_000;

    private final ProjectSpec spec;
    private final RunArtifacts run;
    private final Map<ArtifactField, JavaLiteral> copies = new LinkedHashMap<>();
    private final Optional<ModelShape> model;
    private final Optional<ArtifactField> onnx;

    RunServiceSource(ProjectSpec spec, RunArtifacts run) {
        this.spec = spec;
        this.run = run;
        int total = 0;
        for (var field : run.fields()) {
            var literal = JavaLiteral.of(field.artifact(), field.value());
            int length = literal.expression().length();
            if (length <= MAX_LITERAL && total + length <= MAX_LITERALS) {
                copies.put(field, literal);
                total += length;
            }
        }
        this.model = ModelShape.find(List.copyOf(copies.keySet()));
        this.onnx = run.fields().stream()
                .filter(f -> f.onnx().map(o -> o.inputWidth() > 0).orElse(false))
                .findFirst();
    }

    /** Files the test reads (a model's bytes, an array's data), by path under src/test/resources. */
    Map<String, byte[]> testResources() {
        var out = new LinkedHashMap<String, byte[]>();
        copies.values().forEach(c -> out.putAll(c.resources()));
        return out;
    }

    /** The example request body of the endpoint. */
    String example() {
        return model.map(m -> "{\"features\": [" + String.join(", ", Collections.nCopies(m.columns(), "1.0")) + "]}")
                .orElse("");
    }

    String service() {
        var imports = new TreeSet<>(Set.of(
                "io.flowhost.sdk.Endpoint",
                "io.flowhost.sdk.Service",
                "io.flowhost.sdk.ServiceContext",
                "java.util.LinkedHashMap",
                "java.util.Map"));
        run.fields().forEach(f -> imports.addAll(f.type().imports()));
        if (model.isPresent() || onnx.isPresent()) {
            imports.addAll(List.of("io.flowhost.sdk.CallRejectedException", "java.util.List", "java.util.Objects"));
        }
        if (onnx.isPresent()) {
            imports.add("java.util.ArrayList");
        }
        var out = new StringBuilder();
        out.append("package ").append(spec.packageName()).append(";\n\n");
        imports.forEach(i -> out.append("import ").append(i).append(";\n"));
        out.append("\n/**\n * Serves what ")
                .append(run.flow())
                .append(" trained: the artifacts of the ")
                .append(run.step())
                .append(" step of its latest successful run,\n * read once per instance (run ")
                .append(run.runId())
                .append(" when this was made; a deployment pins \"latest\" to one run).\n");
        if (!run.leftOut().isEmpty()) {
            out.append(" *\n * <p>Left out:\n * <ul>\n");
            for (var left : run.leftOut()) {
                out.append(wrap(" *   <li>" + left.artifact() + ": " + html(left.reason()), " *       "));
            }
            out.append(" * </ul>\n");
        }
        out.append(" */\n@Service(name = \"").append(spec.name()).append("\")\n");
        out.append("public final class ").append(spec.className()).append(" {\n\n");
        out.append("    /** The run's end step; \"latest\" is its latest successful run. */\n");
        out.append("    private static final String STEP = ")
                .append(JavaLiteral.string("metaflow://" + run.flow() + "/latest/" + run.step() + "/"))
                .append(";\n\n");
        for (var field : run.fields()) {
            out.append(fieldComment(field));
            out.append("    private final ")
                    .append(field.type().name())
                    .append(' ')
                    .append(field.field())
                    .append(";\n\n");
        }
        out.append("    /** Runs once per instance, before the first call: loads the artifacts. */\n");
        out.append("    public ").append(spec.className()).append("(ServiceContext context) {\n");
        out.append("        var artifacts = context.artifacts();\n");
        for (var field : run.fields()) {
            var value = "artifacts.value(STEP + " + JavaLiteral.string(field.artifact()) + ")";
            out.append("        this.")
                    .append(field.field())
                    .append(" = ")
                    .append(field.type().conversion().formatted(value))
                    .append(";\n");
        }
        out.append("    }\n\n");
        out.append(model.map(this::scoringEndpoint).orElseGet(this::describingEndpoint));
        onnx.ifPresent(field -> out.append('\n').append(onnxEndpoint(field)));
        if (run.fields().stream().anyMatch(f -> f.type().conversion().startsWith("cast("))) {
            out.append("""

                        /** The reader gives Objects; the run's values are of the fields' types. */
                        @SuppressWarnings("unchecked")
                        private static <T> T cast(Object value) {
                            return (T) value;
                        }
                    """);
        }
        return out.append("}\n").toString();
    }

    private String fieldComment(ArtifactField field) {
        var comment = new StringBuilder(field.artifact() + ": a Python " + html(field.pythonType()) + ".");
        if (field.value() instanceof List<?> list) {
            comment.append(" " + list.size() + (list.size() == 1 ? " item." : " items."));
        } else if (field.value() instanceof Map<?, ?> map) {
            comment.append(" " + map.size() + (map.size() == 1 ? " key." : " keys."));
        } else if (field.value() instanceof NdArray array) {
            comment.append(" " + html(array.toString()) + ".");
        }
        field.onnx()
                .ifPresent(onnx -> comment.append(" An ONNX model, run by ONNX Runtime: inputs "
                        + html(String.valueOf(onnx.inputs())) + ", outputs " + html(String.valueOf(onnx.outputs()))
                        + ". flowhost also serves it with no code: flowhost deploy --onnx metaflow://" + run.flow()
                        + "/latest/" + run.step() + "/" + field.artifact() + " --name " + spec.name() + "-onnx."));

        if (field.value() == null) {
            comment.append(" None in the run, so of no more precise type.");
        }
        return javadoc(comment.toString());
    }

    private String scoringEndpoint(ModelShape m) {
        var matrix = m.matrix().artifact();
        var doc = "Scores one input: " + matrix + " · features"
                + m.bias().map(b -> " + " + b.artifact()).orElse("") + ", a score per "
                + m.labels().map(ArtifactField::artifact).orElse("row of " + matrix) + "."
                + m.features()
                        .map(f -> " The features, in order: " + html(String.valueOf(f.value())) + ".")
                        .orElse("")
                + " A stub to make your own: it shows where the artifacts meet a request.";
        var expected = m.columns() + " numbers"
                + m.features().map(f -> ", in the order of " + f.artifact()).orElse("");
        var out = new StringBuilder();
        out.append(javadoc(doc));
        out.append("    @Endpoint(value = \"predict\", example = ")
                .append(JavaLiteral.string(example()))
                .append(")\n");
        out.append("    public Scores predict(Input input) {\n");
        out.append("        if (input == null || input.features() == null || input.features().size() != ")
                .append(m.columns())
                .append("\n                || input.features().stream().anyMatch(Objects::isNull)) {\n");
        out.append("            throw new CallRejectedException(")
                .append(JavaLiteral.string("send 'features': " + expected))
                .append(");\n        }\n");
        out.append("        var scores = new LinkedHashMap<String, Double>();\n");
        out.append("        for (int k = 0; k < ").append(m.rows()).append("; k++) {\n");
        out.append("            double score = ")
                .append(m.bias().isPresent() ? m.biasElement("k") : "0")
                .append(";\n");
        out.append("            for (int j = 0; j < ").append(m.columns()).append("; j++) {\n");
        out.append("                score += ")
                .append(m.matrixElement("k", "j"))
                .append(" * input.features().get(j);\n");
        out.append("            }\n");
        out.append("            scores.put(")
                .append(m.labels()
                        .map(l -> "String.valueOf(" + l.field() + ".get(k))")
                        .orElse("String.valueOf(k)"))
                .append(", score);\n");
        out.append("        }\n        return new Scores(scores);\n    }\n\n");
        out.append("    /** The request body: one number per feature. */\n");
        out.append("    public record Input(List<Double> features) {}\n\n");
        out.append("    /** The answer: a score per "
                + m.labels().map(ArtifactField::artifact).orElse("row") + ". */\n");
        out.append("    public record Scores(Map<String, Double> scores) {}\n");
        return out.toString();
    }

    private String onnxEndpoint(ArtifactField field) {
        int width = field.onnx().orElseThrow().inputWidth();
        var out = new StringBuilder();
        out.append(javadoc("Runs " + field.artifact() + " on one input of " + width + " numbers and answers its output"
                + " row. A stub to make your own."));
        out.append("    @Endpoint(value = \"predict-onnx\", example = ")
                .append(JavaLiteral.string(features(width)))
                .append(")\n");
        out.append("    public List<Float> predictOnnx(OnnxInput input) {\n");
        out.append("        if (input == null || input.features() == null || input.features().size() != ")
                .append(width)
                .append("\n                || input.features().stream().anyMatch(Objects::isNull)) {\n");
        out.append("            throw new CallRejectedException(")
                .append(JavaLiteral.string("send 'features': " + width + " numbers"))
                .append(");\n        }\n");
        out.append("        var row = new float[").append(width).append("];\n");
        out.append("        for (int j = 0; j < row.length; j++) {\n");
        out.append("            row[j] = input.features().get(j).floatValue();\n        }\n");
        out.append("        var answer = new ArrayList<Float>();\n");
        out.append("        for (float value : ").append(field.field()).append(".predict(new float[][] {row})[0]) {\n");
        out.append("            answer.add(value);\n        }\n        return answer;\n    }\n\n");
        out.append("    /** The request body of predict-onnx: one number per input column. */\n");
        out.append("    public record OnnxInput(List<Double> features) {}\n");
        return out.toString();
    }

    /** An example body: {@code {"features": [1.0, ...]}} with as many numbers as the width. */
    private static String features(int width) {
        return "{\"features\": [" + String.join(", ", Collections.nCopies(width, "1.0")) + "]}";
    }

    private String describingEndpoint() {
        var out = new StringBuilder();
        out.append(
                "    /** What the service loaded: each artifact, a byte array by its size. A stub to make your own. */\n");
        out.append("    @Endpoint(\"artifacts\")\n");
        out.append("    public Map<String, Object> artifacts() {\n");
        out.append("        var loaded = new LinkedHashMap<String, Object>();\n");
        for (var field : run.fields()) {
            var value = field.type().name().equals("byte[]")
                    ? field.field() + ".length + \" bytes\""
                    : field.value() instanceof NdArray || field.isOnnx()
                            ? field.field() + ".toString()"
                            : field.field();
            out.append("        loaded.put(")
                    .append(JavaLiteral.string(field.artifact()))
                    .append(", ")
                    .append(value)
                    .append(");\n");
        }
        out.append("        return loaded;\n    }\n");
        return out.toString();
    }

    String test() {
        var imports = new TreeSet<>(
                Set.of("java.util.HashMap", "java.util.Map", "org.junit.jupiter.api.Test", "java.util.List"));
        copies.values().forEach(c -> imports.addAll(c.imports()));
        var statics = new TreeSet<>(Set.of("org.junit.jupiter.api.Assertions.assertEquals"));
        if (model.isPresent()) {
            imports.add("io.flowhost.sdk.CallRejectedException");
            statics.add("org.junit.jupiter.api.Assertions.assertThrows");
        }
        var c = spec.className();
        var out = new StringBuilder();
        out.append("package ").append(spec.packageName()).append(";\n\n");
        statics.forEach(i -> out.append("import static ").append(i).append(";\n"));
        out.append('\n');
        imports.forEach(i -> out.append("import ").append(i).append(";\n"));
        out.append("\n/** Calls the endpoint in-process, as an instance would, with the values of run ")
                .append(run.runId())
                .append(". */\n");
        out.append("class ").append(c).append("Test {\n\n");
        out.append("    private static final String STEP = ")
                .append(JavaLiteral.string("metaflow://" + run.flow() + "/latest/" + run.step() + "/"))
                .append(";\n\n");
        out.append("    private final ")
                .append(c)
                .append(" service = new ")
                .append(c)
                .append("(new TestContext(")
                .append(JavaLiteral.string(spec.name()))
                .append(", Map.of(), values()));\n\n");
        if (model.isPresent()) {
            var m = model.get();
            out.append("    @Test\n    void scoresTheExample() {\n");
            out.append("        var scores = service.predict(new ")
                    .append(c)
                    .append(".Input(List.of(")
                    .append(String.join(", ", Collections.nCopies(m.columns(), "1.0")))
                    .append("))).scores();\n");
            if (m.labels().isPresent()) {
                var labels = (List<?>) m.labels().get().value();
                out.append("        assertEquals(\n                List.of(")
                        .append(labels.stream()
                                .map(l -> JavaLiteral.string((String) l))
                                .collect(Collectors.joining(", ")))
                        .append("),\n                List.copyOf(scores.keySet()));\n");
            } else {
                out.append("        assertEquals(").append(m.rows()).append(", scores.size());\n");
            }
            out.append("    }\n\n");
            out.append("    @Test\n    void rejectsTooFewFeatures() {\n");
            out.append("        assertThrows(CallRejectedException.class, () -> service.predict(new ")
                    .append(c)
                    .append(".Input(List.of())));\n    }\n\n");
        } else {
            out.append("    @Test\n    void answersWithWhatItLoaded() {\n");
            out.append("        assertEquals(\n                List.of(")
                    .append(run.fields().stream()
                            .map(f -> JavaLiteral.string(f.artifact()))
                            .collect(Collectors.joining(", ")))
                    .append("),\n                List.copyOf(service.artifacts().keySet()));\n    }\n\n");
        }
        if (onnx.isPresent()) {
            var facts = onnx.get().onnx().orElseThrow();
            out.append("    @Test\n    void runsTheOnnxModelOnTheExample() {\n");
            out.append("        var answer = service.predictOnnx(new ")
                    .append(c)
                    .append(".OnnxInput(List.of(")
                    .append(String.join(", ", Collections.nCopies(facts.inputWidth(), "1.0")))
                    .append(")));\n");
            out.append(
                            facts.outputWidth() > 0
                                    ? "        assertEquals(" + facts.outputWidth() + ", answer.size());\n"
                                    : "        assertEquals(false, answer.isEmpty());\n")
                    .append("    }\n\n");
        }
        out.append(
                "    /** The artifacts as the Metaflow reader gave them when this was made (a long one left empty). */\n");
        out.append("    private static Map<String, Object> values() {\n");
        out.append("        var values = new HashMap<String, Object>();\n");
        for (var field : run.fields()) {
            var copy = copies.get(field);
            out.append("        values.put(STEP + ")
                    .append(JavaLiteral.string(field.artifact()))
                    .append(", ")
                    .append(copy != null ? copy.expression() : empty(field.type()))
                    .append(");\n");
        }
        out.append("        return values;\n    }\n}\n");
        return out.toString();
    }

    /** A value of the type, for an artifact too long to copy into the test. */
    private static String empty(JavaType type) {
        return switch (type.name()) {
            case "long" -> "0L";
            case "double" -> "0.0";
            case "boolean" -> "false";
            case "String" -> "\"\"";
            case "byte[]" -> "new byte[0]";
            default ->
                type.name().startsWith("List<")
                        ? "TestContext.list()"
                        : type.name().startsWith("Map<") ? "TestContext.map()" : "(Object) null";
        };
    }

    /** Javadoc text: no HTML or Javadoc markup from an artifact's name or type. */
    private static String html(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("*/", "*&#47;")
                .replace("@", "&#64;");
    }

    /** A member's Javadoc: one line when it fits, else a block. */
    private static String javadoc(String text) {
        var one = "    /** " + text + " */";
        if (one.length() <= 116) {
            return one + "\n";
        }
        return "    /**\n" + wrap("     * " + text, "     * ") + "     */\n";
    }

    /** The line broken at spaces into lines of at most 116 characters, each continued with the prefix. */
    private static String wrap(String line, String prefix) {
        var out = new StringBuilder();
        var current = new StringBuilder();
        for (var word : line.split(" ")) {
            if (current.length() + word.length() + 1 > 116
                    && !current.toString().isBlank()) {
                out.append(current.toString().stripTrailing()).append('\n');
                current = new StringBuilder(prefix);
            }
            current.append(word).append(' ');
        }
        return out.append(current.toString().stripTrailing()).append('\n').toString();
    }
}
