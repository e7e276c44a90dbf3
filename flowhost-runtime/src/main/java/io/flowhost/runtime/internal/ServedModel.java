package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.BatchSettings;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.OnnxModelException;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.ArtifactException;
import io.flowhost.wire.netty.InOrderHandler;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * An ONNX model served with no code over the Open Inference Protocol (KServe v2): loaded once from its reference,
 * then called by {@code POST /v2/models/{name}/infer}; with the deployment's {@code batch} setting
 * ({@code max=64,delay=2ms}), concurrent requests are stacked along dimension 0 and run as one.
 */
public final class ServedModel implements Served {

    /** The deployment setting that batches a model's requests: {@code max=64,delay=2ms}. */
    public static final String BATCH_SETTING = "batch";

    private final String name;
    private final String reference;
    private volatile Batcher batcher;

    /**
     * @param name the name it is served under
     * @param reference where its bytes are: {@code metaflow://...}, {@code file:...} or {@code classpath:...}
     */
    public ServedModel(String name, String reference) {
        this.name = name;
        this.reference = reference;
    }

    public String name() {
        return name;
    }

    public String reference() {
        return reference;
    }

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor(name, "onnx:" + reference, List.of());
    }

    @Override
    public Object construct(InstanceOptions options, MetaflowAccess metaflow) throws ServiceDefinitionException {
        OnnxModel model;
        try {
            if (reference.startsWith(FileReferences.SCHEME)) {
                // By path, so that ONNX Runtime finds weights kept in files beside the model; checked here first,
                // because OnnxModel words a missing file and an unreadable one differently.
                model = OnnxModel.load(FileReferences.readable(reference));
            } else {
                var artifacts = new ReferenceArtifacts(ServedModel.class.getClassLoader(), metaflow);
                model = OnnxModel.load(artifacts.bytes(reference));
            }
        } catch (ArtifactException | OnnxModelException e) {
            throw new ServiceDefinitionException("cannot load the model " + reference + ": " + e.getMessage(), e);
        }
        var batch = options.settings().get(BATCH_SETTING);
        if (batch != null) {
            batcher = batcher(model, batch);
        }
        return model;
    }

    /** Stacks compatible requests along dimension 0 and splits the outputs back; refuses a model that cannot. */
    private Batcher batcher(OnnxModel model, String spec) throws ServiceDefinitionException {
        BatchSettings settings;
        try {
            settings = BatchSettings.parse(spec);
        } catch (IllegalArgumentException e) {
            model.close();
            throw new ServiceDefinitionException(e.getMessage(), e);
        }
        var fixed = model.fixedFirstDimension();
        if (!fixed.isEmpty()) {
            model.close();
            throw new ServiceDefinitionException("model " + reference + " cannot be batched: its input " + fixed
                    + " has a fixed first dimension, where requests would be stacked (export it with a dynamic"
                    + " batch dimension, or deploy it without --batch)");
        }
        return new Batcher("infer " + name, settings, items -> ModelBatches.run(model, items));
    }

    @Override
    public InOrderHandler handler(
            Supplier<Object> target, Probes probes, ObjectMapper json, Executor handlers, Observing observing) {
        return new OpenInferenceHandler(
                name, () -> (OnnxModel) target.get(), probes, json, handlers, observing, () -> batcher);
    }
}
