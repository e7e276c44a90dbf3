package io.flowhost.cli.scaffold;

import java.util.Optional;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * An artifact the generated service loads into a field.
 *
 * @param artifact the artifact's name in the run, e.g. {@code feature_names}
 * @param pythonType the Python type Metaflow recorded, e.g. {@code <class 'list'>}
 * @param type the field's Java type
 * @param value the value in the run, for the test's copy and the example's shape
 * @param onnx what ONNX Runtime says of it, for bytes that are an ONNX model
 */
record ArtifactField(String artifact, String pythonType, JavaType type, Object value, Optional<OnnxFacts> onnx) {

    /** A field of the type the reader gives the value. */
    static ArtifactField of(String artifact, String pythonType, JavaType type, Object value) {
        return new ArtifactField(artifact, pythonType, type, value, Optional.empty());
    }

    private static final Set<String> ALSO_TAKEN = Set.of("context", "STEP", "cast");

    /** The artifact's name in camel case, e.g. {@code featureNames}; a Java keyword gets a suffix. */
    String field() {
        var out = new StringBuilder();
        boolean upper = false;
        for (char c : artifact.toCharArray()) {
            if (c == '_' || !Character.isJavaIdentifierPart(c)) {
                upper = !out.isEmpty();
            } else {
                out.append(upper ? Character.toUpperCase(c) : out.isEmpty() ? Character.toLowerCase(c) : c);
                upper = false;
            }
        }
        var name = out.isEmpty() || !Character.isJavaIdentifierStart(out.charAt(0)) ? "artifact" + out : out.toString();
        return SourceVersion.isKeyword(name) || ALSO_TAKEN.contains(name) ? name + "Value" : name;
    }

    /** Whether this holds an ONNX model, loaded into ONNX Runtime by the service. */
    boolean isOnnx() {
        return onnx.isPresent();
    }
}
