package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.OnnxModelException;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.ArtifactException;
import io.flowhost.wire.netty.InOrderHandler;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * An ONNX model served with no code over the Open Inference Protocol (KServe v2):
 * loaded once from its reference, then called by {@code POST /v2/models/{name}/infer}.
 *
 * @param name the name it is served under
 * @param reference where its bytes are: {@code metaflow://...}, {@code file:...} or {@code classpath:...}
 */
public record ServedModel(String name, String reference) implements Served {

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor(name, "onnx:" + reference, List.of());
    }

    @Override
    public Object construct(InstanceOptions options, MetaflowAccess metaflow) throws ServiceDefinitionException {
        try {
            if (reference.startsWith(FileReferences.SCHEME)) {
                // By path, so that ONNX Runtime finds weights kept in files beside the model; checked here first,
                // because OnnxModel words a missing file and an unreadable one differently.
                return OnnxModel.load(FileReferences.readable(reference));
            }
            var artifacts = new ReferenceArtifacts(ServedModel.class.getClassLoader(), metaflow);
            return OnnxModel.load(artifacts.bytes(reference));
        } catch (ArtifactException | OnnxModelException e) {
            throw new ServiceDefinitionException("cannot load the model " + reference + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InOrderHandler handler(
            Supplier<Object> target, Probes probes, ObjectMapper json, Executor handlers, Observing observing) {
        return new OpenInferenceHandler(name, () -> (OnnxModel) target.get(), probes, json, handlers, observing);
    }
}
