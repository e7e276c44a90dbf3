package io.flowhost.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a call's input tensors against the model's inputs before anything reaches ONNX Runtime, whose own errors are
 * written for model authors, not for the caller who sent a bad request.
 */
final class InputCheck {
    private InputCheck() {}

    /** Fails with a caller-friendly TensorMismatchException unless the inputs are exactly what the model takes. */
    static void check(List<ModelInput> modelInputs, Map<String, Tensor> inputs) {
        List<String> names =
                modelInputs.stream().map(input -> input.spec().name()).toList();
        for (Map.Entry<String, Tensor> entry : inputs.entrySet()) {
            String name = entry.getKey();
            if (!names.contains(name)) {
                throw new TensorMismatchException(
                        "input '" + name + "' is not an input of this model; its inputs are " + names);
            }
            if (entry.getValue() == null) {
                throw new TensorMismatchException("input '" + name + "' has no tensor");
            }
            if (!entry.getValue().name().equals(name)) {
                throw new TensorMismatchException("input '" + name + "' is given a tensor named '"
                        + entry.getValue().name() + "'");
            }
        }
        // A dimension the model names (such as the batch size "N") must be the same in every input that uses it.
        Map<String, NamedDim> namedDims = new HashMap<>();
        for (ModelInput input : modelInputs) {
            Tensor tensor = inputs.get(input.spec().name());
            if (tensor == null) {
                throw new TensorMismatchException(
                        "input '" + input.spec().name() + "' is missing; the model's inputs are " + names);
            }
            checkOne(input, tensor, namedDims);
        }
    }

    private static void checkOne(ModelInput input, Tensor tensor, Map<String, NamedDim> namedDims) {
        TensorSpec spec = input.spec();
        String name = spec.name();
        if (!tensor.datatype().equals(spec.datatype())) {
            throw new TensorMismatchException("input '" + name + "': datatype " + tensor.datatype()
                    + " does not fit the model's " + spec.datatype());
        }
        long[] expected = spec.shape();
        long[] given = tensor.shape();
        String mismatch = "input '" + name + "': shape " + Shapes.format(given) + " does not fit the model's "
                + Shapes.format(expected);
        if (given.length != expected.length) {
            throw new TensorMismatchException(mismatch + " (" + given.length
                    + (given.length == 1 ? " dimension" : " dimensions") + ", expected " + expected.length + ")");
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0 && given[i] != expected[i]) {
                throw new TensorMismatchException(
                        mismatch + " (dimension " + i + " is " + given[i] + ", expected " + expected[i] + ")");
            }
            String dimName = input.dimensionName(i);
            if (expected[i] < 0 && !dimName.isEmpty()) {
                NamedDim first = namedDims.putIfAbsent(dimName, new NamedDim(name, given[i]));
                if (first != null && first.size() != given[i]) {
                    throw new TensorMismatchException("input '" + name + "': dimension " + i + " is " + given[i]
                            + ", but input '" + first.input() + "' gave the model's dimension '" + dimName + "' as "
                            + first.size());
                }
            }
        }
    }

    private record NamedDim(String input, long size) {}
}
