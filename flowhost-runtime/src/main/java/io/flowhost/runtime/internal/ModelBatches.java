package io.flowhost.runtime.internal;

import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.TensorBatch;
import io.flowhost.onnx.v2.InferenceRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of a model's requests: those that stack (same inputs, datatypes and shapes past dimension 0, same
 * outputs asked for) run as one, their outputs split back by the rows each brought; any other runs alone.
 */
final class ModelBatches {

    private ModelBatches() {}

    /** The outputs of each request, in their order. */
    static List<Object> run(OnnxModel model, List<Object> items) {
        var groups = new LinkedHashMap<String, List<Integer>>();
        for (int i = 0; i < items.size(); i++) {
            var request = (InferenceRequest) items.get(i);
            var key = TensorBatch.rows(request.inputs()) < 0
                    ? "alone:" + i
                    : TensorBatch.key(request.inputs(), request.outputs());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        var answers = new Object[items.size()];
        for (var group : groups.values()) {
            var first = (InferenceRequest) items.get(group.getFirst());
            if (group.size() == 1) {
                answers[group.getFirst()] = model.infer(first.inputs(), first.outputs());
                continue;
            }
            var inputs = new ArrayList<Map<String, Tensor>>(group.size());
            var rows = new long[group.size()];
            for (int g = 0; g < group.size(); g++) {
                var request = (InferenceRequest) items.get(group.get(g));
                inputs.add(request.inputs());
                rows[g] = TensorBatch.rows(request.inputs());
            }
            var split = TensorBatch.split(model.infer(TensorBatch.stack(inputs), first.outputs()), rows);
            for (int g = 0; g < group.size(); g++) {
                answers[group.get(g)] = split.get(g);
            }
        }
        return Arrays.asList(answers);
    }
}
