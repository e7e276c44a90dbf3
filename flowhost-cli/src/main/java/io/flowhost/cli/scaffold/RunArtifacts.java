package io.flowhost.cli.scaffold;

import io.flowhost.metaflow.Run;
import io.flowhost.metaflow.Task;
import io.flowhost.metaflow.error.MetaflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-step artifacts of a run that a service can hold, and those it cannot, read as a service will read them.
 *
 * @param flow the flow's name
 * @param runId the run read
 * @param step the end step's name
 * @param fields the artifacts the service loads, by name
 * @param leftOut the artifacts it leaves out, by name
 */
record RunArtifacts(String flow, String runId, String step, List<ArtifactField> fields, List<LeftOut> leftOut) {

    /** Reads every artifact of the run's end step but Metaflow's own ({@code _task_ok} and the like). */
    static RunArtifacts read(Run run) {
        Task task = run.endTask()
                .orElseThrow(() -> new ScaffoldException("run " + run.pathspec() + " has no end step task"));
        var fields = new ArrayList<ArtifactField>();
        var leftOut = new ArrayList<LeftOut>();
        for (var name : task.artifactNames()) {
            if (name.startsWith("_")) {
                continue;
            }
            var artifact = task.artifact(name);
            try {
                var value = artifact.value();
                var onnx = value instanceof byte[] bytes ? OnnxFacts.probe(bytes) : Optional.<OnnxFacts>empty();
                if (onnx.isPresent()) {
                    fields.add(new ArtifactField(name, artifact.pythonType(), JavaType.onnxModel(), value, onnx));
                    continue;
                }
                JavaType.of(value)
                        .ifPresentOrElse(
                                type -> fields.add(ArtifactField.of(name, artifact.pythonType(), type, value)),
                                () -> leftOut.add(new LeftOut(
                                        name,
                                        "a Python " + artifact.pythonType() + " read as a "
                                                + value.getClass().getSimpleName() + ", which has no Java type here")));
            } catch (MetaflowException e) {
                // A pickle of a class only Python has (an sklearn model, a DataFrame): the reader says which.
                leftOut.add(new LeftOut(name, e.getMessage()));
            }
        }
        return new RunArtifacts(
                run.flow().name(), run.id(), task.step().name(), List.copyOf(fields), List.copyOf(leftOut));
    }

    /** The published flowhost jars beyond the SDK that the fields' types need (the reader's, flowhost-onnx). */
    Set<String> published() {
        var out = new TreeSet<String>();
        fields.forEach(f -> out.addAll(f.type().published()));
        return out;
    }
}
