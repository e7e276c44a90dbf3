package io.flowhost.instances.contract;

import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.Map;

/** A service whose constructor fails, as one that cannot find its model does. */
@Service(name = "broken")
public final class BrokenService {

    public BrokenService() {
        throw new IllegalStateException("model file iris.onnx not found");
    }

    @Endpoint("predict")
    public Map<String, Object> predict(Map<String, Object> body) {
        return body;
    }
}
