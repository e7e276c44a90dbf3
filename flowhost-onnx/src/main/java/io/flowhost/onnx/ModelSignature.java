package io.flowhost.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a loaded session takes and gives, read once at load time so that calls never ask ONNX Runtime again.
 *
 * @param inputs     every input, in the model's order
 * @param outputs    the outputs that can be served, in the model's order
 * @param unservable the outputs that cannot, each with the reason, so that asking for one explains itself
 */
record ModelSignature(List<ModelInput> inputs, List<TensorSpec> outputs, Map<String, String> unservable) {

    ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        unservable = Map.copyOf(unservable);
    }

    /** Reads the session's inputs and outputs, failing if any input cannot be fed from Java. */
    static ModelSignature of(OrtSession session) throws OrtException {
        List<ModelInput> inputs = new ArrayList<>();
        for (NodeInfo node : session.getInputInfo().values()) {
            Optional<Datatype> type = datatypeOf(node).filter(Datatype::isSupported);
            if (type.isEmpty()) {
                throw new OnnxModelException("the model's input '" + node.getName() + "' is " + describe(node)
                        + ", which flowhost cannot feed; inputs must be tensors of " + supported());
            }
            TensorInfo info = (TensorInfo) node.getInfo();
            inputs.add(ModelInput.of(
                    new TensorSpec(node.getName(), type.get().name(), info.getShape()), info.getDimensionNames()));
        }
        List<TensorSpec> outputs = new ArrayList<>();
        Map<String, String> unservable = new LinkedHashMap<>();
        for (NodeInfo node : session.getOutputInfo().values()) {
            Optional<Datatype> type = datatypeOf(node).filter(Datatype::isSupported);
            // Leaving such outputs out, rather than refusing the model, keeps e.g. scikit-learn classifiers usable:
            // their ZipMap output is a sequence of maps, but the label output next to it is a plain tensor.
            if (type.isEmpty()) {
                unservable.put(
                        node.getName(),
                        "output '" + node.getName() + "' is " + describe(node)
                                + ", which flowhost cannot serve; only tensors of " + supported() + " can be returned");
            } else {
                TensorInfo info = (TensorInfo) node.getInfo();
                outputs.add(new TensorSpec(node.getName(), type.get().name(), info.getShape()));
            }
        }
        if (outputs.isEmpty()) {
            throw new OnnxModelException("the model has no output flowhost can serve: " + unservable.values());
        }
        return new ModelSignature(inputs, outputs, unservable);
    }

    /** Returns the input specs, which is what callers see of the inputs. */
    List<TensorSpec> inputSpecs() {
        return inputs.stream().map(ModelInput::spec).toList();
    }

    private static Optional<Datatype> datatypeOf(NodeInfo node) {
        return node.getInfo() instanceof TensorInfo info ? OrtTypes.datatypeOf(info.onnxType) : Optional.empty();
    }

    private static String describe(NodeInfo node) {
        if (node.getInfo() instanceof TensorInfo info) {
            return "a tensor of " + datatypeOf(node).map(Enum::name).orElse(info.onnxType.name());
        }
        return "not a tensor but " + node.getInfo();
    }

    private static String supported() {
        return Datatype.supportedNames();
    }
}
