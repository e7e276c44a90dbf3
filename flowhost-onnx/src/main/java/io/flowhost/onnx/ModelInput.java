package io.flowhost.onnx;

import java.util.Arrays;
import java.util.List;

/** A model input's spec together with the names ONNX gives its dynamic dimensions (empty where it gives none). */
record ModelInput(TensorSpec spec, List<String> dimensionNames) {

    ModelInput {
        dimensionNames = List.copyOf(dimensionNames);
    }

    /** Builds the input from ONNX Runtime's dimension names, which it reports as null or "" for unnamed dimensions. */
    static ModelInput of(TensorSpec spec, String[] dimensionNames) {
        String[] names = dimensionNames == null ? new String[spec.shape().length] : dimensionNames.clone();
        return new ModelInput(
                spec, Arrays.stream(names).map(name -> name == null ? "" : name).toList());
    }

    /** Returns the name of dimension {@code index}, or "" if the model leaves it unnamed. */
    String dimensionName(int index) {
        return index < dimensionNames.size() ? dimensionNames.get(index) : "";
    }
}
