package io.flowhost.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The native tensors of one call, closed together so that none leaks even when making a later one fails. */
final class OrtInputs implements AutoCloseable {
    private final Map<String, OnnxTensor> byName;

    private OrtInputs(Map<String, OnnxTensor> byName) {
        this.byName = byName;
    }

    /** Copies every input into a native tensor; on failure, closes the ones already made. */
    static OrtInputs of(OrtEnvironment env, Map<String, Tensor> inputs) throws OrtException {
        OrtInputs made = new OrtInputs(new LinkedHashMap<>());
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                made.byName.put(input.getKey(), OrtTensors.toOrt(env, input.getValue()));
            }
            return made;
        } catch (OrtException | RuntimeException e) {
            made.close();
            throw e;
        }
    }

    /** Returns the native tensors by input name, for OrtSession.run. */
    Map<String, OnnxTensor> byName() {
        return byName;
    }

    /** Closes every native tensor. */
    @Override
    public void close() {
        byName.values().forEach(OnnxTensor::close);
    }
}
