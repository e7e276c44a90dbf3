package io.flowhost.cli.scaffold;

import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * What ONNX Runtime says of a bytes artifact that is an ONNX model: its inputs and outputs, and the widths that let
 * the generated endpoint call {@link OnnxModel#predict(float[][])} (one FP32 matrix in, one out).
 *
 * @param inputs the inputs as ONNX Runtime describes them, e.g. {@code features FP32 [-1, 4]}
 * @param outputs the outputs, likewise
 * @param inputWidth the columns of the one FP32 matrix input, or -1 when predict does not fit the model
 * @param outputWidth the columns of the one FP32 matrix output, or -1 when unknown
 */
record OnnxFacts(List<String> inputs, List<String> outputs, int inputWidth, int outputWidth) {

    /** The facts, if the bytes look like an ONNX model (a protobuf that starts with ir_version) and load as one. */
    static Optional<OnnxFacts> probe(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != 0x08) {
            return Optional.empty();
        }
        try (var model = OnnxModel.load(bytes)) {
            var ins = model.inputs();
            var outs = model.outputs();
            boolean fits =
                    ins.size() == 1 && outs.size() == 1 && fp32Matrix(ins.getFirst()) && fp32Matrix(outs.getFirst());
            return Optional.of(new OnnxFacts(
                    ins.stream().map(TensorSpec::toString).toList(),
                    outs.stream().map(TensorSpec::toString).toList(),
                    fits ? (int) ins.getFirst().shape()[1] : -1,
                    fits ? (int) outs.getFirst().shape()[1] : -1));
        } catch (RuntimeException e) {
            return Optional.empty(); // not ONNX after all, or not a model this ONNX Runtime loads: plain bytes then
        }
    }

    private static boolean fp32Matrix(TensorSpec spec) {
        var shape = spec.shape();
        return spec.datatype().equals("FP32") && shape.length == 2 && shape[1] > 0;
    }
}
