package io.flowhost.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ONNX model loaded into one ONNX Runtime session, which every thread may call at once; close it when done.
 *
 * <p>ONNX Runtime's {@code OrtSession.run} is thread-safe, and everything else held here is immutable, so calls share
 * nothing but the session. Each call makes its own native tensors and closes them, and its result, before it returns.
 * Close the model only after its last call has returned; a call after closing fails.
 */
public final class OnnxModel implements AutoCloseable {
    private final OrtSession session;
    private final ModelSignature signature;

    private OnnxModel(OrtSession session, ModelSignature signature) {
        this.session = session;
        this.signature = signature;
    }

    /** Loads a model from the bytes of an .onnx file, failing with OnnxModelException if ONNX Runtime cannot load it. */
    public static OnnxModel load(byte[] model) {
        Objects.requireNonNull(model, "model");
        String source = "the ONNX model (" + model.length + " bytes)";
        try {
            return open(ortEnvironment().createSession(model, serving()), source);
        } catch (OrtException e) {
            throw new OnnxModelException("cannot load " + source + ": " + OrtMessages.of(e), e);
        }
    }

    /** Loads a model from an .onnx file, failing with OnnxModelException if it is missing or not a usable model. */
    public static OnnxModel load(Path file) {
        Objects.requireNonNull(file, "file");
        String source = "the ONNX model " + file;
        // Checked here because ONNX Runtime's own wording for these cases repeats the path and blames "Load model".
        if (!Files.exists(file)) {
            throw new OnnxModelException("cannot load " + source + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new OnnxModelException("cannot load " + source + ": not a readable file");
        }
        try {
            // By path, not by bytes, so that ONNX Runtime finds weights the model keeps in files beside it.
            return open(ortEnvironment().createSession(file.toString(), serving()), source);
        } catch (OrtException e) {
            throw new OnnxModelException("cannot load " + source + ": " + OrtMessages.of(e), e);
        }
    }

    /**
     * Session options for serving: one thread per call, not spinning while idle. Calls already run in
     * parallel (one virtual thread each), so a per-call thread pool sized to the cores would only make
     * calls fight each other for the same cores, and spinning threads burn them while nobody calls.
     */
    private static OrtSession.SessionOptions serving() throws OrtException {
        var options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    private static OnnxModel open(OrtSession session, String source) throws OrtException {
        try {
            return new OnnxModel(session, ModelSignature.of(session));
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof OnnxModelException unusable) {
                throw new OnnxModelException("cannot serve " + source + ": " + unusable.getMessage(), unusable);
            }
            throw e;
        }
    }

    // The environment is one per JVM (ONNX Runtime hands out a singleton) and is never closed: other models use it.
    private static OrtEnvironment ortEnvironment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Returns the model's inputs in the model's order, with -1 for each dynamic dimension. */
    public List<TensorSpec> inputs() {
        return signature.inputSpecs();
    }

    /** Returns the outputs this model can serve, in the model's order, with -1 for each dynamic dimension. */
    public List<TensorSpec> outputs() {
        return signature.outputs();
    }

    /**
     * Checks inputs and asked-for outputs as {@link #infer(Map, Collection)} would, without running the model: what a
     * batch checks of each request before stacking it with others.
     *
     * @throws InvalidInputException saying what does not fit the model
     */
    public void check(Map<String, Tensor> inputs, Collection<String> outputNames) {
        Objects.requireNonNull(inputs, "inputs");
        wantedOutputs(outputNames);
        InputCheck.check(signature.inputs(), inputs);
    }

    /**
     * The inputs whose first dimension is fixed: requests to such a model cannot be stacked along it (empty when
     * every input's first dimension is open, as a batch dimension is).
     */
    public List<TensorSpec> fixedFirstDimension() {
        return inputs().stream()
                .filter(spec -> spec.shape().length == 0 || spec.shape()[0] >= 0)
                .toList();
    }

    /** Runs the model on a batch and returns every output by name, in the model's order. */
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
        return infer(inputs, List.of());
    }

    /** Runs the model on a batch and returns the named outputs in the order asked, or every output if none is named. */
    public Map<String, Tensor> infer(Map<String, Tensor> inputs, Collection<String> outputNames) {
        Objects.requireNonNull(inputs, "inputs");
        Set<String> wanted = wantedOutputs(outputNames);
        InputCheck.check(signature.inputs(), inputs);
        try (OrtInputs ortInputs = OrtInputs.of(ortEnvironment(), inputs);
                OrtSession.Result result = session.run(ortInputs.byName(), wanted)) {
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            for (String name : wanted) {
                OnnxValue value = result.get(name)
                        .orElseThrow(() -> new OnnxModelException("ONNX Runtime returned no output '" + name + "'"));
                outputs.put(name, OrtTensors.fromOrt(name, datatypeOf(name), (OnnxTensor) value));
            }
            return outputs;
        } catch (OrtException e) {
            throw new OnnxModelException("ONNX Runtime could not run the model: " + OrtMessages.of(e), e);
        }
    }

    /**
     * Runs a model with one 2-D FP32 input and one 2-D FP32 output on rows of features and returns a row per input row.
     */
    public float[][] predict(float[][] rows) {
        Objects.requireNonNull(rows, "rows");
        List<TensorSpec> ins = inputs();
        List<TensorSpec> outs = outputs();
        if (ins.size() != 1 || outs.size() != 1 || !isFp32Matrix(ins.get(0)) || !isFp32Matrix(outs.get(0))) {
            throw new IllegalStateException("predict(float[][]) needs a model with one FP32 input and one FP32 output,"
                    + " both of two dimensions; this model has inputs " + ins + " and outputs " + outs);
        }
        if (rows.length == 0) {
            return new float[0][];
        }
        String input = ins.get(0).name();
        String output = outs.get(0).name();
        return infer(Map.of(input, Tensor.fp32(input, rows))).get(output).asFloatMatrix();
    }

    /** Frees the native session; call it once, after the last call to this model has returned. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxModelException("cannot close the ONNX Runtime session: " + OrtMessages.of(e), e);
        }
    }

    /** Describes the model by its inputs and outputs. */
    @Override
    public String toString() {
        return "OnnxModel[inputs=" + inputs() + ", outputs=" + outputs() + "]";
    }

    private Set<String> wantedOutputs(Collection<String> outputNames) {
        Objects.requireNonNull(outputNames, "outputNames");
        List<String> servable = outputs().stream().map(TensorSpec::name).toList();
        if (outputNames.isEmpty()) {
            return new LinkedHashSet<>(servable);
        }
        for (String name : outputNames) {
            if (signature.unservable().containsKey(name)) {
                throw new TensorMismatchException(signature.unservable().get(name));
            }
            if (!servable.contains(name)) {
                throw new TensorMismatchException(
                        "output '" + name + "' is not an output of this model; its outputs" + " are " + servable);
            }
        }
        return new LinkedHashSet<>(outputNames);
    }

    private Datatype datatypeOf(String output) {
        return outputs().stream()
                .filter(spec -> spec.name().equals(output))
                .findFirst()
                .map(spec -> Datatype.valueOf(spec.datatype()))
                .orElseThrow();
    }

    private static boolean isFp32Matrix(TensorSpec spec) {
        return spec.datatype().equals("FP32") && spec.shape().length == 2;
    }
}
